namespace Pipeline.Infra.Tracking;

/// <summary>
/// The tracking tables, all prefixed <c>tracking_</c> so they sit beside the workflow engine's <c>dw_</c> tables in
/// the same database. Created idempotently; times are Unix milliseconds (MLflow's unit).
/// </summary>
internal static class TrackingSchema
{
    public static readonly string[] Statements =
    [
        """
        CREATE TABLE IF NOT EXISTS tracking_experiments (
            experiment_id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_ms BIGINT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS tracking_runs (
            run_id TEXT PRIMARY KEY,
            experiment_id TEXT NOT NULL,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            start_ms BIGINT NOT NULL,
            end_ms BIGINT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS tracking_runs_experiment ON tracking_runs (experiment_id)",
        """
        CREATE TABLE IF NOT EXISTS tracking_params (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key))
        """,
        """
        CREATE TABLE IF NOT EXISTS tracking_tags (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (run_id, key))
        """,
        """
        CREATE TABLE IF NOT EXISTS tracking_metrics (
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            step BIGINT NOT NULL,
            timestamp_ms BIGINT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS tracking_metrics_run_key ON tracking_metrics (run_id, key, step)",
        """
        CREATE TABLE IF NOT EXISTS tracking_registered_models (
            name TEXT PRIMARY KEY,
            created_ms BIGINT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS tracking_model_versions (
            model_name TEXT NOT NULL,
            version BIGINT NOT NULL,
            source TEXT NOT NULL,
            run_id TEXT NULL,
            created_ms BIGINT NOT NULL,
            PRIMARY KEY (model_name, version))
        """,
        """
        CREATE TABLE IF NOT EXISTS tracking_model_aliases (
            model_name TEXT NOT NULL,
            alias TEXT NOT NULL,
            version BIGINT NOT NULL,
            PRIMARY KEY (model_name, alias))
        """,
    ];
}
