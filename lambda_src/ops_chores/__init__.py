"""Ops chores (guide 002 boto3 scripts, made robust): snapshot the EBS volumes tagged
Backup=true, delete the snapshots this lab created once they are older than the retention,
and stop the instances tagged Schedule=office-hours at night.

handler.py wires each scheduled invocation to chores.py (the chores, against a gateway);
logic.py holds the pure rules (settings, the date tag, age, the summary); aws.py is the
only module that talks to AWS (EC2 and SNS).
"""
