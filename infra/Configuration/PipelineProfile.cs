namespace Pipeline.Infra.Configuration;

/// <summary>Which services the pipeline uses when a setting does not say otherwise.</summary>
public enum PipelineProfile
{
    /// <summary>Everything in-process or on local disk: SQLite, the in-memory bus, local artifacts, embedded tracking. Needs no services.</summary>
    Embedded,

    /// <summary>Production: PostgreSQL, RabbitMQ, S3, MLflow (and Seq when its address is set).</summary>
    Server,
}
