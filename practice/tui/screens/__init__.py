"""The studio's screens: home, interview, feedback, summary, and small dialogs."""
