"""Learner tools of the s3-events lab: upload an image, verify a deployment, build the Pillow layer, benchmark."""
