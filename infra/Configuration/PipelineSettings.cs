using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Logging;
using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// Everything the pipeline's processes are configured with: the <c>Pipeline</c> section of appsettings.json,
/// <c>PIPELINE__*</c> environment variables and the CLI's flags (<see cref="PipelineConfiguration"/> merges them;
/// later sources win). The profile decides the defaults of the component kinds; any one can still be set alone.
/// </summary>
public sealed record PipelineSettings
{
    public const string Section = "Pipeline";

    /// <summary><c>embedded</c> (default: no services needed) or <c>server</c> (PostgreSQL, RabbitMQ, S3, MLflow).</summary>
    public PipelineProfile Profile { get; init; } = PipelineProfile.Embedded;

    /// <summary>The project's data folder: the embedded store, local artifacts, the outbox and the logs live under it
    /// unless set one by one. Relative paths start at the working directory. Default <c>.pipeline</c>.</summary>
    public string DataDir { get; init; } = ".pipeline";

    /// <summary>The workflow store (and the embedded tracking store's database): <c>sqlite:PATH</c>,
    /// <c>postgres://user:pass@host:port/db</c> or an Npgsql connection string. Default <c>sqlite:{DataDir}/pipeline.db</c>;
    /// the server profile requires PostgreSQL.</summary>
    public string Store { get; init; } = "";

    public ArtifactSettings Artifacts { get; init; } = new();

    /// <summary>Used when <c>Artifacts:Store</c> is <c>S3</c>.</summary>
    public S3ArtifactStoreOptions S3 { get; init; } = new();

    public TrackingSettings Tracking { get; init; } = new();

    /// <summary>Used when <c>Tracking:Store</c> is <c>Mlflow</c>; <c>Mlflow:TrackingUri</c> is then required.</summary>
    public MlflowOptions? Mlflow { get; init; }

    /// <summary>The event bus. <c>Bus:Transport</c> defaults to <c>InMemory</c> (embedded) or <c>RabbitMq</c> (server);
    /// <c>Bus:OutboxPath</c> to <c>{DataDir}/outbox.db</c>.</summary>
    public BusOptions Bus { get; init; } = new();

    /// <summary>Console, rolling CLEF file (default <c>{DataDir}/logs/pipeline-.clef</c>) and Seq (<c>Logging:SeqUrl</c>).</summary>
    public LoggingOptions Logging { get; init; } = new();

    /// <summary>What a published dataset version starts: the post-training recipe, its configuration file, model names.</summary>
    public RecipeSettings Recipe { get; init; } = new();

    /// <summary>The serving API (multi-LoRA, OpenAI-compatible) that <c>pipeline server</c> hosts.</summary>
    public ServingSettings Serving { get; init; } = new();

    /// <summary>The audit UI (workflows, histories, gates, curves, models) that <c>pipeline server</c> and <c>pipeline ui</c> serve.</summary>
    public UiSettings Ui { get; init; } = new();
}
