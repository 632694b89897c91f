"""Turning a recorded answer into feedback: pure functions over arrays and words.

Nothing here imports Textual or sounddevice; heavy engines are imported lazily.
"""
