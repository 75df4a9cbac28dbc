using System.CommandLine;
using Pipeline.ML.Optim;
using Pipeline.ML.Training;

namespace Pipeline.Workers.Cli;

/// <summary>
/// The hyperparameter flags the `ml train` commands share, named as HF TrainingArguments. Without
/// <paramref name="sequences"/> (GRPO: its rows are prompt + completion, its eval set a file) --seq-len and
/// --eval-fraction are left out; DPO leaves out --seq-len alone (see <see cref="AddTo"/>).
/// </summary>
public sealed class TrainFlags(bool sequences = true)
{
    private readonly bool _sequences = sequences;
    private bool _hasSeqLen = sequences;

    public Option<string> Output { get; } = new("--out") { Description = "Run directory: final weights, checkpoint-N/, metrics.jsonl", Required = true, HelpName = "DIR" };
    public Option<long> Steps { get; } = new("--max-steps") { Description = "Optimizer updates", Required = true };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Sequences per micro-batch", DefaultValueFactory = _ => 16 };
    public Option<int> Accumulation { get; } = new("--gradient-accumulation-steps") { Description = "Micro-batches per update", DefaultValueFactory = _ => 1 };
    public Option<int> SeqLen { get; } = new("--seq-len") { Description = "Tokens per sequence", DefaultValueFactory = _ => 64 };
    public Option<double> LearningRate { get; } = new("--learning-rate") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 };
    public Option<long> Warmup { get; } = new("--warmup-steps") { Description = "Linear warmup updates", DefaultValueFactory = _ => 0 };
    public Option<string> Scheduler { get; } = new("--lr-scheduler") { Description = "constant, linear or cosine", DefaultValueFactory = _ => "cosine" };
    public Option<double> MinLrRatio { get; } = new("--min-lr-ratio") { Description = "Decay floor as a fraction of the peak", DefaultValueFactory = _ => 0.0 };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "AdamW decoupled weight decay", DefaultValueFactory = _ => 0.01 };
    public Option<double> Beta2 { get; } = new("--adam-beta2") { Description = "AdamW beta2", DefaultValueFactory = _ => 0.999 };
    public Option<double> MaxGradNorm { get; } = new("--max-grad-norm") { Description = "Global gradient-norm clip (0: off)", DefaultValueFactory = _ => 1.0 };
    public Option<int> SaveSteps { get; } = new("--save-steps") { Description = "Checkpoint every N updates (0: at the end only)", DefaultValueFactory = _ => 0 };
    public Option<int> EvalSteps { get; } = new("--eval-steps") { Description = "Evaluate every N updates (0: at the end only)", DefaultValueFactory = _ => 0 };
    public Option<int> LoggingSteps { get; } = new("--logging-steps") { Description = "Log metrics every N updates", DefaultValueFactory = _ => 10 };
    public Option<double> EvalFraction { get; } = new("--eval-fraction") { Description = "Share of the data held out for eval_loss", DefaultValueFactory = _ => 0.05 };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed for init, data order and dropout", DefaultValueFactory = _ => 42UL };
    public Option<int> Threads { get; } = new("--threads") { Description = "CPU threads (default: all cores)" };
    public Option<string?> Resume { get; } = new("--resume") { Description = "Resume from a checkpoint directory, or 'latest' in --out", HelpName = "DIR|latest" };

    /// <param name="seqLen">false for DPO, whose rows are as long as its longest pair.</param>
    public void AddTo(Command cmd, bool seqLen = true)
    {
        _hasSeqLen = _sequences && seqLen;
        foreach (var o in new Option[]
        {
            Output, Steps, BatchSize, Accumulation, SeqLen, LearningRate, Warmup, Scheduler, MinLrRatio, WeightDecay, Beta2,
            MaxGradNorm, SaveSteps, EvalSteps, LoggingSteps, EvalFraction, Seed, Threads, Resume,
        })
        {
            if ((_hasSeqLen || o != SeqLen) && (_sequences || o != EvalFraction))
            {
                cmd.Options.Add(o);
            }
        }
    }

    public TrainingOptions Read(ParseResult p)
    {
        if (p.GetValue(Threads) is > 0 and var threads)
        {
            ML.Compute.CpuParallel.Threads = threads;
        }
        var kind = p.GetValue(Scheduler) switch
        {
            "constant" => ScheduleKind.Constant,
            "linear" => ScheduleKind.Linear,
            "cosine" => ScheduleKind.Cosine,
            var s => throw new UsageException($"--lr-scheduler must be constant, linear or cosine, got '{s}'"),
        };
        var options = new TrainingOptions
        {
            MaxSteps = p.GetValue(Steps), BatchSize = p.GetValue(BatchSize), GradientAccumulationSteps = p.GetValue(Accumulation),
            LearningRate = p.GetValue(LearningRate), WarmupSteps = p.GetValue(Warmup), LrSchedulerType = kind,
            MinLrRatio = p.GetValue(MinLrRatio), WeightDecay = p.GetValue(WeightDecay), AdamBeta2 = p.GetValue(Beta2),
            MaxGradNorm = p.GetValue(MaxGradNorm), SaveSteps = p.GetValue(SaveSteps), EvalSteps = p.GetValue(EvalSteps),
            LoggingSteps = p.GetValue(LoggingSteps), Seed = p.GetValue(Seed),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        if (_hasSeqLen && p.GetValue(SeqLen) < 2)
        {
            throw new UsageException("--seq-len must be at least 2");
        }
        return options;
    }

    /// <summary>Runs the trainer (resuming first when asked), printing progress; returns the run's result.</summary>
    public TrainingResult Run(ParseResult p, CausalLmTrainer trainer, string outDir, CancellationToken ct) =>
        Run(p, outDir, dir => { TrainerCheckpoint.Resume(trainer, dir); return trainer.Step; }, trainer.Train, ct);

    /// <summary>As the causal-LM overload, for a DPO run.</summary>
    public TrainingResult Run(ParseResult p, DpoTrainer trainer, string outDir, CancellationToken ct) =>
        Run(p, outDir, dir => { TrainerCheckpoint.Resume(trainer, dir); return trainer.Step; }, trainer.Train, ct);

    /// <summary>As the causal-LM overload, for a GRPO run.</summary>
    public TrainingResult Run(ParseResult p, GrpoTrainer trainer, string outDir, CancellationToken ct) =>
        Run(p, outDir, dir => { TrainerCheckpoint.Resume(trainer, dir); return trainer.Step; }, trainer.Train, ct);

    /// <summary>As the causal-LM overload, for a reward-model run.</summary>
    public TrainingResult Run(ParseResult p, RewardTrainer trainer, string outDir, CancellationToken ct) =>
        Run(p, outDir, dir => { TrainerCheckpoint.Resume(trainer, dir); return trainer.Step; }, trainer.Train, ct);

    // The trainers share no public base type (their checkpoint hooks are the engine's internals), so each overload
    // hands over how to resume it and how to train it.
    private TrainingResult Run(
        ParseResult p, string outDir, Func<string, long> resumeFrom, Func<CancellationToken, TrainingResult> train, CancellationToken ct)
    {
        if (ResumeDir(p, outDir) is { } dir)
        {
            var step = resumeFrom(dir);
            Console.Error.WriteLine($"resumed from {dir} at step {step}");
        }
        var result = train(ct);
        var chart = Path.Combine(outDir, "loss.svg");
        File.WriteAllText(chart, ML.Training.TrainingChart.Svg(result.History, $"{Path.GetFileName(Path.GetFullPath(outDir))}: loss"));
        Console.Error.WriteLine($"loss curves: {chart}");
        return result;
    }

    private string? ResumeDir(ParseResult p, string outDir) => p.GetValue(Resume) is not { } resume ? null
        : resume == "latest"
            ? TrainerCheckpoint.List(outDir).LastOrDefault() ?? throw new UsageException($"--resume latest: no checkpoint-N in {outDir}")
            : resume;
}
