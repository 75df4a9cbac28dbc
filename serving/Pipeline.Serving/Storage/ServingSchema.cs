namespace Pipeline.Serving.Storage;

/// <summary>The serving tables; created if absent, so a restart on the same file keeps everything.</summary>
internal static class ServingSchema
{
    public const string Sql = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS serving_experiments (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            definition TEXT NOT NULL,
            started_ms INTEGER NOT NULL,
            ended_ms INTEGER NULL);
        CREATE INDEX IF NOT EXISTS serving_experiments_name ON serving_experiments (name, ended_ms);
        CREATE TABLE IF NOT EXISTS serving_requests (
            response_id TEXT PRIMARY KEY,
            created_ms INTEGER NOT NULL,
            model_name TEXT NOT NULL,
            model_version INTEGER NULL,
            experiment_id TEXT NULL,
            variant TEXT NULL,
            user_id TEXT NULL,
            latency_ms REAL NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            error TEXT NULL,
            feedback REAL NULL);
        CREATE INDEX IF NOT EXISTS serving_requests_experiment ON serving_requests (experiment_id);
        """;
}
