-- Runs once, on an empty data volume: MLflow keeps its runs in its own database on the same server.
CREATE DATABASE mlflow OWNER pipeline;
