"""DB Lambda: Lambda -> IAM role -> Secrets Manager -> RDS MySQL (guide 000 v2, 002's pymysql handler).

The guide's `users` table in the `myapp` database, behind a tiny direct-invoke API
(add_user, get_user, list_users). handler.py wires the event to logic.py (pure request
parsing, no I/O), secrets.py (the only module that talks to AWS) and db.py (the only
module that talks to MySQL, through pymysql).
"""
