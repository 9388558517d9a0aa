"""Lab 7: S3 upload under images/ -> Lambda -> thumbnails/ (guide 002 "S3 Event Notifications")."""
