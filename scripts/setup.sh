# Shared set-up for scripts/run and scripts/test: sourced, not run.
# Installs what is missing and nothing else, so running it again is cheap and safe:
#   1. Debian/Ubuntu packages (espeak-ng, PortAudio, libsndfile, PulseAudio, sox) when missing;
#   2. a virtual environment in .venv (or $PRACTICE_VENV);
#   3. the project with the extras named in $1, re-installed only when pyproject.toml changed.

PRACTICE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRACTICE_VENV="${PRACTICE_VENV:-$PRACTICE_ROOT/.venv}"

practice_say() { printf '[practice setup] %s\n' "$*" >&2; }

practice_system_packages() {
    # $PRACTICE_TEST_PACKAGES: more packages the checks need (scripts/test sets them).
    local wanted=(espeak-ng libespeak-ng1 libportaudio2 libsndfile1 pulseaudio pulseaudio-utils
        libasound2-plugins alsa-utils sox ca-certificates ${PRACTICE_TEST_PACKAGES:-})
    local missing=() pkg
    command -v dpkg-query >/dev/null || { practice_say "not a Debian/Ubuntu system: install ${wanted[*]} yourself"; return 0; }
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then missing+=(python3-venv); fi
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { practice_say "missing system packages: ${missing[*]} (install them as root)"; return 1; }
        sudo="sudo"
    fi
    practice_say "installing system packages: ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

practice_python() {
    local candidate
    for candidate in "${PRACTICE_PYTHON:-}" python3.13 python3.12 python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    practice_say "practice needs Python 3.11 or newer (set PRACTICE_PYTHON to one)"
    return 1
}

# practice_setup "EXTRAS" ["PRE-INSTALL PIP ARGS"]
practice_setup() {
    local extras="$1" pre="${2:-}"
    practice_system_packages
    if [ ! -x "$PRACTICE_VENV/bin/python" ]; then
        local python
        python="$(practice_python)"
        practice_say "creating the virtual environment $PRACTICE_VENV"
        "$python" -m venv "$PRACTICE_VENV"
    fi
    local stamp="$PRACTICE_VENV/.practice-installed-$(echo "$extras $pre" | tr -c 'a-zA-Z0-9\n' '_')"
    local want
    want="$(sha256sum "$PRACTICE_ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        practice_say "installing practice[$extras] into $PRACTICE_VENV"
        "$PRACTICE_VENV/bin/python" -m pip install -q --upgrade pip
        if [ -n "$pre" ]; then
            # shellcheck disable=SC2086
            "$PRACTICE_VENV/bin/python" -m pip install -q $pre
        fi
        "$PRACTICE_VENV/bin/python" -m pip install -q -e "$PRACTICE_ROOT[$extras]"
        echo "$want" >"$stamp"
    fi
}
