# MLflow's official image ships without database drivers or boto3; the compose file backs it with
# PostgreSQL (runs, metrics) and MinIO over S3 (artifacts).
FROM ghcr.io/mlflow/mlflow:v2.16.2
RUN pip install --no-cache-dir psycopg2-binary==2.9.9 boto3==1.35.36
