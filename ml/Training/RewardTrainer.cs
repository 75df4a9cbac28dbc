using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Optim;
using Pipeline.ML.Rewards;

namespace Pipeline.ML.Training;

/// <summary>
/// Trains a <see cref="RewardModel"/> on preference pairs with the Bradley–Terry loss, as TRL's RewardTrainer: each
/// micro-batch scores its chosen and rejected rows in one pass, AdamW, global-norm clipping, warmup + decay,
/// gradient accumulation (the loss is the mean over every pair of the update), periodic eval on held-out pairs, and
/// metrics under TRL's names (<c>loss</c>, <c>accuracy</c>, <c>margin</c>, <c>mean_reward</c>, <c>min_reward</c>,
/// <c>max_reward</c>, <c>num_tokens</c>, <c>learning_rate</c>, <c>grad_norm</c>, <c>epoch</c>; <c>eval_</c> in eval)
/// to metrics.jsonl and a callback. It trains whatever is marked trainable: the whole model, or a backbone adapter
/// and the head. checkpoint-N holds the reward model (or adapter + head, PEFT SEQ_CLS), the optimizer's moments and the
/// loop's state, so <see cref="TrainerCheckpoint.Resume(RewardTrainer, string)"/> continues a run exactly.
/// </summary>
public sealed class RewardTrainer : ICheckpointedTrainer
{
    private readonly RewardModel _model;
    private readonly RewardTrainingOptions _options;
    private readonly IReadOnlyList<RewardPair> _train;
    private readonly IReadOnlyList<RewardPair>? _eval;
    private readonly IndexSampler _sampler;
    private readonly AdamW _optimizer;
    private readonly LearningRateSchedule _schedule;
    private readonly List<TrainingLog> _history = [];
    private readonly Dictionary<(int, int), RewardActivations> _acts = [];
    private Rng _dropout;
    private long _step;
    private long _tokensSeen;

    public RewardTrainer(RewardModel model, RewardTrainingOptions options, IReadOnlyList<RewardPair> train, IReadOnlyList<RewardPair>? eval = null)
    {
        options.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException("no training pairs");
        }
        foreach (var pair in train.Concat(eval ?? []))
        {
            if (pair.Prompt.Length + pair.Chosen.Length == 0 || pair.Prompt.Length + pair.Rejected.Length == 0)
            {
                throw new ArgumentException("a preference pair has an empty row: prompt + completion needs a token to score");
            }
        }
        _model = model;
        _options = options;
        _train = train;
        _eval = eval is { Count: > 0 } ? eval : null;
        var t = options.Training;
        _sampler = new IndexSampler(train.Count, t.Seed, noun: "pairs");
        var trainable = model.TrainableParameters.ToList();
        if (trainable.Count == 0)
        {
            throw new InvalidOperationException("nothing to train: mark the head, the backbone or an adapter trainable first");
        }
        _optimizer = new AdamW(trainable, t.AdamW);
        _schedule = t.Schedule;
        _dropout = new Rng(t.Seed ^ 0xD50D50D5UL);
    }

    /// <summary>Receives every logged row (train every logging_steps, eval every eval_steps).</summary>
    public Action<TrainingLog>? OnLog { get; init; }

    /// <summary>Receives progress after every update (TokensPerSecond counts real, non-pad tokens).</summary>
    public Action<TrainingProgress>? OnProgress { get; init; }

    /// <summary>Where checkpoint-N directories and metrics.jsonl go; null keeps everything in memory.</summary>
    public string? OutputDir { get; init; }

    public long Step => _step;

    public IReadOnlyList<TrainingLog> History => _history;

    public TrainingResult Train(CancellationToken ct = default)
    {
        var t = _options.Training;
        var clock = Stopwatch.StartNew();
        var (startStep, startTokens) = (_step, _tokensSeen);
        if (OutputDir is not null && _step > 0)
        {
            // A resumed run: rows a crashed run logged after its last checkpoint are about to be logged again, so the
            // metrics file restarts from the checkpoint's log history.
            TrainerCheckpoint.RewriteMetrics(OutputDir, _history);
        }
        var window = RewardPairStats.Empty;
        string? lastCheckpoint = null;
        while (_step < t.MaxSteps)
        {
            ct.ThrowIfCancellationRequested();
            var lr = _schedule.At(_step);
            var (gradNorm, stats) = TrainStep(lr);
            _step++;
            window = window.Add(stats);

            var rate = (_tokensSeen - startTokens) / clock.Elapsed.TotalSeconds;
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / (_step - startStep) * (t.MaxSteps - _step));
            OnProgress?.Invoke(new TrainingProgress(_step, t.MaxSteps, stats.Loss, rate, clock.Elapsed, eta));

            var last = _step == t.MaxSteps;
            if (_step % t.LoggingSteps == 0 || last)
            {
                var row = window.Metrics();
                row["num_tokens"] = _tokensSeen;
                row["learning_rate"] = lr;
                row["grad_norm"] = gradNorm;
                row["epoch"] = _sampler.EpochProgress;
                Log(new TrainingLog(_step, row));
                window = RewardPairStats.Empty;
            }
            if (_eval is not null && ((t.EvalSteps > 0 && _step % t.EvalSteps == 0) || last))
            {
                Log(Evaluate());
            }
            if (OutputDir is not null && ((t.SaveSteps > 0 && _step % t.SaveSteps == 0) || last))
            {
                lastCheckpoint = TrainerCheckpoint.Save(this, OutputDir);
                TrainerCheckpoint.Rotate(OutputDir, t.SaveTotalLimit);
            }
        }
        return new TrainingResult(_step, _history, lastCheckpoint);
    }

    private (double GradNorm, RewardPairStats Stats) TrainStep(double lr)
    {
        var micro = Enumerable.Range(0, _options.Training.GradientAccumulationSteps).Select(_ => _sampler.Next(_options.Training.BatchSize)).ToList();
        // Every pair of the update weighs 1/P in the gradient: the mean over the whole accumulated batch.
        var gradScale = 1.0 / micro.Sum(m => m.Length);
        _model.ZeroGrad();
        var stats = RewardPairStats.Empty;
        foreach (var indices in micro)
        {
            var pairs = indices.Select(i => _train[i]).ToList();
            var (batch, acts) = Prepare(pairs);
            _model.Forward(batch, acts, _dropout);
            var p = pairs.Count;
            var dRewards = new float[2 * p];
            var rewards = acts.Rewards.AsSpan();
            stats = stats.Add(BradleyTerryLoss.Compute(rewards[..p], rewards[p..], dRewards.AsSpan(0, p), dRewards.AsSpan(p),
                gradScale, _options.CenterRewardsCoefficient));
            _model.Backward(batch, acts, dRewards);
            _tokensSeen += batch.Lengths.Sum();
        }
        var norm = GradientClipping.ClipByGlobalNorm(_optimizer.Parameters, _options.Training.MaxGradNorm);
        _optimizer.Update(lr);
        return (norm, stats);
    }

    /// <summary>Loss and metrics over the held-out pairs, in order, without dropout: eval_loss, eval_accuracy, eval_margin, ….</summary>
    public TrainingLog Evaluate()
    {
        if (_eval is null)
        {
            throw new InvalidOperationException("no evaluation pairs were given");
        }
        var stats = RewardPairStats.Empty;
        var size = _options.Training.BatchSize;
        for (var i = 0; i < _eval.Count; i += size)
        {
            var pairs = _eval.Skip(i).Take(size).ToList();
            var (batch, acts) = Prepare(pairs);
            _model.Forward(batch, acts);
            var rewards = acts.Rewards.AsSpan();
            stats = stats.Add(BradleyTerryLoss.Evaluate(rewards[..pairs.Count], rewards[pairs.Count..], _options.CenterRewardsCoefficient));
        }
        var row = stats.Metrics("eval_");
        row["epoch"] = _sampler.EpochProgress;
        return new TrainingLog(_step, row);
    }

    // Chosen rows then rejected rows, one batch (TRL concatenates them the same way), padded to a multiple of
    // PadToMultipleOf (capped at max_position_embeddings) so that few activation shapes are ever allocated.
    private (RewardBatch Batch, RewardActivations Acts) Prepare(IReadOnlyList<RewardPair> pairs)
    {
        var rows = pairs.Select(p => p.ChosenRow).Concat(pairs.Select(p => p.RejectedRow)).ToList();
        var longest = rows.Max(r => r.Length);
        var m = _options.PadToMultipleOf;
        var seqLen = Math.Max(longest, Math.Min((longest + m - 1) / m * m, _model.Config.MaxPositionEmbeddings));
        var batch = RewardBatch.Create(rows, _model.PadTokenId ?? 0, seqLen);
        if (!_acts.TryGetValue((rows.Count, seqLen), out var acts))
        {
            _acts[(rows.Count, seqLen)] = acts = _model.CreateActivations(rows.Count, seqLen);
        }
        return (batch, acts);
    }

    private void Log(TrainingLog entry) => TrainerCheckpoint.Log(_history, entry, OutputDir, OnLog);

    AdamW ICheckpointedTrainer.Optimizer => _optimizer;

    void ICheckpointedTrainer.SaveWeights(string dir) => CheckpointWeights.Save(_model, dir);

    void ICheckpointedTrainer.LoadWeights(string dir) => CheckpointWeights.Load(_model, dir);

    TrainerStateSnapshot ICheckpointedTrainer.Snapshot() => new(_step, _tokensSeen, _dropout.GetState(), _sampler.GetState(), [.. _history]);

    void ICheckpointedTrainer.Restore(TrainerStateSnapshot s)
    {
        _step = s.Step;
        _tokensSeen = s.TokensSeen;
        _dropout = Rng.FromState(s.DropoutRng);
        _sampler.SetState(s.Sampler);
        _history.Clear();
        _history.AddRange(s.History);
    }
}
