"""Lab 10: Lambda -> IAM role -> Secrets Manager -> RDS MySQL (guide 000 v2, 002 pymysql)."""
