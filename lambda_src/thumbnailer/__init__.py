"""Thumbnailer: an upload under images/ becomes JPEG thumbnails under thumbnails/<size>/ (guide 002,
"S3 Event Notifications").

handler.py wires the S3 event to events.py (records and keys, pure), settings.py (the
function's environment, pure), resize.py (Pillow, no AWS) and store.py (the only module
that talks to AWS).
"""
