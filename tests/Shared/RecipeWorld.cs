using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Activities.Evaluation;
using Pipeline.Activities.Registry;
using Pipeline.Activities.Rollout;
using Pipeline.Activities.Support;
using Pipeline.Activities.Training;
using Pipeline.Durable.Testing;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Datasets;
using Pipeline.Infra.Tracking;
using Pipeline.Serving;
using Pipeline.Serving.Models;
using Pipeline.Workflows.BaseModel;
using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;

namespace Pipeline.Tests.Shared;

/// <summary>
/// Everything the recipe touches, real and local: an artifact store on disk, the embedded tracking store and registry,
/// the SQLite outbox, the serving API on a loopback port, the demo dataset (a small corpus) published as a version,
/// and a time-skipping engine with one worker per queue running the real activities. Linked into the workflow tests
/// and the UI tests (which add their own workflow types and workers beside the recipe's).
/// </summary>
public sealed class RecipeWorld : IAsyncDisposable
{
    public const string WorkflowQueue = "pipeline";

    private RecipeWorld(string root, LocalArtifactStore store, SqlTrackingStore tracking, SqliteEventOutbox outbox, ServingHost serving,
        WorkflowEnvironment env, DatasetVersionRef dataset)
    {
        (Root, Store, Tracking, Outbox, Serving, Env, Dataset) = (root, store, tracking, outbox, serving, env, dataset);
    }

    public string Root { get; }
    public LocalArtifactStore Store { get; }
    public SqlTrackingStore Tracking { get; }
    public SqliteEventOutbox Outbox { get; }
    public ServingHost Serving { get; }
    public WorkflowEnvironment Env { get; }
    public DatasetVersionRef Dataset { get; }

    /// <param name="extraWorkflows">Workflow types beyond the recipe's that the environment's client should know
    /// (for queries and the UI); their workers are the caller's, on <see cref="Env"/>.</param>
    public static async Task<RecipeWorld> StartAsync(IReadOnlyList<Type>? extraWorkflows = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "recipe-world-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var store = new LocalArtifactStore(Path.Combine(root, "artifacts"));
        var tracking = await SqlTrackingStore.OpenSqliteAsync(Path.Combine(root, "tracking.db"));
        var outbox = new SqliteEventOutbox(Path.Combine(root, "outbox.db"));
        var serving = await ServingHost.StartAsync(new ServingOptions
        {
            DatabasePath = Path.Combine(root, "serving.db"), CacheRoot = Path.Combine(root, "serving-cache"), DefaultMaxTokens = 16,
        }, store, tracking);
        var data = Path.Combine(root, "data", "v1");
        DemoDatasetGenerator.Generate(new DemoDatasetOptions { Version = "v1", CorpusLines = 3000 }).WriteTo(data);
        var published = await new DatasetPublisher(store, outbox).PublishAsync(new DatasetPublication(data, DemoDatasetGenerator.DatasetName, "v1"));
        var dataset = new DatasetVersionRef(DemoDatasetGenerator.DatasetName, "v1", published.Dataset.FilesDigest);

        var env = await WorkflowEnvironment.StartTimeSkippingAsync([typeof(PostTrainingWorkflow), typeof(BaseModelWorkflow), .. extraWorkflows ?? []]);
        var workspace = new RecipeWorkspace(Path.Combine(root, "worker"));
        var runs = new TrackingRuns(tracking, "recipe-tests");
        var http = new HttpClient();
        var training = new TrainingActivities(store, runs, workspace, NullLogger<TrainingActivities>.Instance);
        var eval = new EvalActivities(store, outbox, runs, workspace, NullLogger<EvalActivities>.Instance);
        var registry = new RegistryActivities(tracking, outbox, runs, TimeProvider.System, NullLogger<RegistryActivities>.Instance);
        var rollout = new RolloutActivities(http, new ServingEndpoint(serving.Url), store, workspace, NullLogger<RolloutActivities>.Instance);
        env.NewWorker(WorkflowQueue, w => w.AddWorkflow<PostTrainingWorkflow>().AddWorkflow<BaseModelWorkflow>().AddActivities(registry).AddActivities(rollout));
        env.NewWorker("cpu", w => w.AddActivities(training), maxConcurrentActivities: 1);
        env.NewWorker("eval", w => w.AddActivities(eval), maxConcurrentActivities: 1);
        return new RecipeWorld(root, store, tracking, outbox, serving, env, dataset);
    }

    /// <summary>A recipe small enough to run in seconds on a random model: a 1-layer base pretrained for a few steps,
    /// a handful of SFT and GRPO steps, 4 rows per eval suite, a short A/B window fed by the simulator.</summary>
    public static RecipeConfig TinyRecipe(string sftGate = "test-plumbing", string preferenceGate = "test-plumbing") => new()
    {
        Pretrain = new PretrainConfig
        {
            HiddenSize = 32, Layers = 1, Heads = 2, IntermediateSize = 64, MaxSteps = 6, WarmupSteps = 1, BatchSize = 4, SeqLen = 32, SaveSteps = 3,
            Gate = "test-plumbing-base",
        },
        Sft = new SftConfig { LoraR = 4, LoraAlpha = 8, MaxSteps = 4, WarmupSteps = 1, BatchSize = 4, SeqLen = 128, SaveSteps = 2 },
        Preference = new PreferenceConfig { LoraR = 4, LoraAlpha = 8, MaxSteps = 2, BatchSize = 2, NumGenerations = 2, MaxCompletionLength = 8, SaveSteps = 1 },
        Eval = new EvalConfig { Limit = 4, BootstrapSamples = 50, SftGate = sftGate, SftGateVsChampion = sftGate, PreferenceGate = preferenceGate, DeployGate = preferenceGate },
        Rollout = new RolloutConfig
        {
            ChallengerShare = 0.5, MinFeedbackPerVariant = 5, CheckInterval = TimeSpan.FromMinutes(1), MaxDuration = TimeSpan.FromHours(1),
            SimulatedRequests = 16, SimulatedUsers = 8,
        },
    };

    /// <summary>The tiny recipe on its DPO branch: pairs sampled on 8 prompts (2 completions each), the SFT file's
    /// anchors, 3 DPO steps of 2 pairs (the first, in warmup, at lr 0 as in HF's schedule).</summary>
    public static RecipeConfig TinyDpoRecipe()
    {
        var r = TinyRecipe();
        return r with
        {
            Preference = r.Preference with { Algorithm = PreferenceAlgorithm.Dpo, CollectionPrompts = 8, DpoMaxSteps = 3, DpoWarmupSteps = 1 },
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Env.DisposeAsync();
        await Serving.DisposeAsync();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }   // SQLite handles of a failing test may still be open: a temp folder left behind is harmless
    }
}
