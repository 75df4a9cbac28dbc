using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Optim;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Training;

/// <summary>
/// Group Relative Policy Optimization (DeepSeekMath, Shao et al. 2024; TRL's GRPOTrainer) on one model: each step
/// samples G completions per prompt from the current policy, scores them with the reward functions, turns the rewards
/// into group-relative advantages and takes a clipped policy-gradient step, optionally held near a reference policy by
/// a k3 KL term. It trains whatever the model has marked trainable (all weights, or an adapter's), with AdamW,
/// global-norm clipping, the schedule, periodic eval (eval_reward on held-out prompts) and checkpoints with an exact
/// resume, as <see cref="CausalLmTrainer"/>. Dropout is off throughout (TRL's disable_dropout): the ratio and KL
/// compare log-probabilities of one deterministic network.
/// </summary>
public sealed partial class GrpoTrainer : ICheckpointedTrainer
{
    private readonly LlamaModel _model;
    private readonly ByteLevelBpeTokenizer _tokenizer;
    private readonly GrpoOptions _options;
    private readonly IReadOnlyList<PromptExample> _prompts;
    private readonly IReadOnlyList<PromptExample>? _eval;
    private readonly IReadOnlyList<IRewardFunction> _rewards;
    private readonly double[] _weights;
    private readonly IndexSampler _sampler;
    private readonly AdamW _optimizer;
    private readonly LearningRateSchedule _schedule;
    private readonly GrpoReference? _reference;
    private readonly List<TrainingLog> _history = [];
    private readonly Dictionary<int, LlamaActivations> _acts = [];
    private readonly int _seqLen;
    private Rng _rollout;
    private GrpoRollout? _current;
    private long _step;
    private long _tokensSeen;

    public GrpoTrainer(
        LlamaModel model, ByteLevelBpeTokenizer tokenizer, GrpoOptions options, IReadOnlyList<PromptExample> prompts,
        IReadOnlyList<IRewardFunction> rewards, IReadOnlyList<PromptExample>? eval = null)
    {
        options.Validate(rewards.Count);
        if (prompts.Count == 0 || prompts.Any(p => p.Ids.Length == 0))
        {
            throw new ArgumentException("GRPO needs prompts, each with at least one token");
        }
        _model = model;
        _tokenizer = tokenizer;
        _options = options;
        _prompts = prompts;
        _eval = eval is { Count: > 0 } ? eval : null;
        _rewards = rewards;
        _weights = options.RewardWeights?.ToArray() ?? [.. Enumerable.Repeat(1.0, rewards.Count)];
        // One sequence length for the whole run, so activations are allocated once: the longest prompt plus a full completion.
        _seqLen = prompts.Concat(_eval ?? []).Max(p => p.Ids.Length) + options.MaxCompletionLength;
        if (_seqLen > model.Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException(
                $"the longest prompt + max_completion_length ({_seqLen} tokens) exceeds max_position_embeddings ({model.Config.MaxPositionEmbeddings})");
        }
        var trainable = model.TrainableParameters.ToList();
        if (trainable.Count == 0)
        {
            throw new InvalidOperationException("nothing to train: mark the base weights or an adapter trainable first");
        }
        _optimizer = new AdamW(trainable, options.Training.AdamW);
        _schedule = options.Training.Schedule;
        _sampler = new IndexSampler(prompts.Count, options.Training.Seed, noun: "prompts");
        _rollout = new Rng(options.Training.Seed ^ 0x6A09E667F3BCC908UL);
        _reference = options.Beta > 0 ? new GrpoReference(model) : null;
    }

    /// <summary>Receives every logged row (train every logging_steps, eval every eval_steps).</summary>
    public Action<TrainingLog>? OnLog { get; init; }

    /// <summary>Receives progress after every update; its tokens/s counts rollout and update time together.</summary>
    public Action<TrainingProgress>? OnProgress { get; init; }

    /// <summary>Called with each checkpoint-N directory right after it is written (e.g. to store it and heartbeat it).</summary>
    public Action<string>? OnCheckpoint { get; init; }

    /// <summary>Where checkpoint-N directories and metrics.jsonl go; null keeps everything in memory.</summary>
    public string? OutputDir { get; init; }

    public long Step => _step;

    public IReadOnlyList<TrainingLog> History => _history;

    public TrainingResult Train(CancellationToken ct = default)
    {
        var training = _options.Training;
        var clock = Stopwatch.StartNew();
        var startStep = _step;
        if (OutputDir is not null && _step > 0)
        {
            TrainerCheckpoint.RewriteMetrics(OutputDir, _history);
        }
        var window = new GrpoMetrics();
        long tokensSinceStart = 0;
        string? lastCheckpoint = null;
        while (_step < training.MaxSteps)
        {
            ct.ThrowIfCancellationRequested();
            var lr = _schedule.At(_step);
            if (_step % _options.NumIterations == 0)
            {
                _current = Rollout(window);
            }
            var (loss, tokens) = Update(_current!, lr, window);
            _step++;
            _tokensSeen += tokens;
            tokensSinceStart += tokens;

            var rate = tokensSinceStart / clock.Elapsed.TotalSeconds;
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / (_step - startStep) * (training.MaxSteps - _step));
            OnProgress?.Invoke(new TrainingProgress(_step, training.MaxSteps, loss, rate, clock.Elapsed, eta));

            var last = _step == training.MaxSteps;
            if (_step % training.LoggingSteps == 0 || last)
            {
                var row = window.Flush();
                row["learning_rate"] = lr;
                row["num_tokens"] = _tokensSeen;
                row["epoch"] = _sampler.EpochProgress;
                Log(new TrainingLog(_step, row));
            }
            if (_eval is not null && ((training.EvalSteps > 0 && _step % training.EvalSteps == 0) || last))
            {
                Log(Evaluate());
            }
            if (OutputDir is not null && ((training.SaveSteps > 0 && _step % training.SaveSteps == 0) || last))
            {
                lastCheckpoint = TrainerCheckpoint.Save(this, OutputDir);
                OnCheckpoint?.Invoke(lastCheckpoint);
                TrainerCheckpoint.Rotate(OutputDir, training.SaveTotalLimit);
            }
        }
        return new TrainingResult(_step, _history, lastCheckpoint);
    }

    private void Log(TrainingLog entry) => TrainerCheckpoint.Log(_history, entry, OutputDir, OnLog);

    private LlamaActivations Activations(int batch)
    {
        if (!_acts.TryGetValue(batch, out var acts))
        {
            _acts[batch] = acts = _model.CreateActivations(batch, _seqLen);
        }
        return acts;
    }

    internal LlamaModel Model => _model;

    internal AdamW Optimizer => _optimizer;

    void ICheckpointedTrainer.SaveWeights(string dir) => CheckpointWeights.Save(_model, dir);

    void ICheckpointedTrainer.LoadWeights(string dir) => CheckpointWeights.Load(_model, dir);

    AdamW ICheckpointedTrainer.Optimizer => _optimizer;

    TrainerStateSnapshot ICheckpointedTrainer.Snapshot() => Snapshot();

    void ICheckpointedTrainer.Restore(TrainerStateSnapshot snapshot) => Restore(snapshot);

    // GRPO has no dropout; its randomness is the prompt order and the rollout generator, both saved.
    internal TrainerStateSnapshot Snapshot() =>
        new(_step, _tokensSeen, [], _sampler.GetState(), [.. _history]) { RolloutRng = _rollout.GetState() };

    internal void Restore(TrainerStateSnapshot s)
    {
        _step = s.Step;
        _tokensSeen = s.TokensSeen;
        _rollout = Rng.FromState(s.RolloutRng ?? throw new FormatException("the trainer state has no rollout_rng (not a GRPO checkpoint)"));
        _sampler.SetState(s.Sampler);
        _current = null;
        _history.Clear();
        _history.AddRange(s.History);
    }
}
