using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Models;
using Pipeline.ML.Optim;

namespace Pipeline.ML.Training;

/// <summary>
/// The training loop shared by pretraining and SFT: next-token cross-entropy on rows whose labels say where the loss
/// is, AdamW, global-norm clipping, warmup + decay, gradient accumulation, periodic eval and checkpoints, and an
/// exact resume. It trains whatever the model has marked trainable (all base weights, or an adapter's).
/// </summary>
public sealed class CausalLmTrainer : ICheckpointedTrainer
{
    private readonly LlamaModel _model;
    private readonly TrainingOptions _options;
    private readonly IReadOnlyList<TrainingRow>? _eval;
    private readonly RowSampler _sampler;
    private readonly AdamW _optimizer;
    private readonly LearningRateSchedule _schedule;
    private readonly List<TrainingLog> _history = [];
    private readonly Dictionary<int, LlamaActivations> _acts = [];
    private Rng _dropout;
    private long _step;
    private long _tokensSeen;

    public CausalLmTrainer(LlamaModel model, TrainingOptions options, IReadOnlyList<TrainingRow> train, IReadOnlyList<TrainingRow>? eval = null)
    {
        options.Validate();
        _model = model;
        _options = options;
        _eval = eval is { Count: > 0 } ? eval : null;
        _sampler = new RowSampler(train, options.BatchSize, options.Seed);
        var trainable = model.TrainableParameters.ToList();
        if (trainable.Count == 0)
        {
            throw new InvalidOperationException("nothing to train: mark the base weights or an adapter trainable first");
        }
        _optimizer = new AdamW(trainable, options.AdamW);
        _schedule = options.Schedule;
        _dropout = new Rng(options.Seed ^ 0xD50D50D5UL);
    }

    /// <summary>Receives every logged row (train every logging_steps, eval every eval_steps).</summary>
    public Action<TrainingLog>? OnLog { get; init; }

    /// <summary>Receives progress after every update.</summary>
    public Action<TrainingProgress>? OnProgress { get; init; }

    /// <summary>Called with each checkpoint-N directory right after it is written (e.g. to store it and heartbeat it).</summary>
    public Action<string>? OnCheckpoint { get; init; }

    /// <summary>Where checkpoint-N directories and metrics.jsonl go; null keeps everything in memory.</summary>
    public string? OutputDir { get; init; }

    public long Step => _step;

    public IReadOnlyList<TrainingLog> History => _history;

    public TrainingResult Train(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var startStep = _step;
        if (OutputDir is not null && _step > 0)
        {
            // A resumed run: rows a crashed run logged after its last checkpoint are about to be logged again, so the
            // metrics file restarts from the checkpoint's log history.
            TrainerCheckpoint.RewriteMetrics(OutputDir, _history);
        }
        var window = new LossWindow();
        string? lastCheckpoint = null;
        while (_step < _options.MaxSteps)
        {
            ct.ThrowIfCancellationRequested();
            var lr = _schedule.At(_step);
            var (gradNorm, tokens) = TrainStep(lr, window);
            _step++;
            _tokensSeen += tokens;

            var rate = _tokensSeen == 0 ? 0 : window.TokensSinceStart / clock.Elapsed.TotalSeconds;
            var done = _step - startStep;
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / done * (_options.MaxSteps - _step));
            OnProgress?.Invoke(new TrainingProgress(_step, _options.MaxSteps, window.LastLoss, rate, clock.Elapsed, eta));

            if (_step % _options.LoggingSteps == 0 || _step == _options.MaxSteps)
            {
                Log(window.Flush(lr, gradNorm, _tokensSeen, _sampler.EpochProgress, rate) with { Step = _step });
            }
            var last = _step == _options.MaxSteps;
            if (_eval is not null && ((_options.EvalSteps > 0 && _step % _options.EvalSteps == 0) || last))
            {
                Log(Evaluate());
            }
            if (OutputDir is not null && ((_options.SaveSteps > 0 && _step % _options.SaveSteps == 0) || last))
            {
                lastCheckpoint = TrainerCheckpoint.Save(this, OutputDir);
                OnCheckpoint?.Invoke(lastCheckpoint);
                TrainerCheckpoint.Rotate(OutputDir, _options.SaveTotalLimit);
            }
        }
        return new TrainingResult(_step, _history, lastCheckpoint);
    }

    private (double GradNorm, long Tokens) TrainStep(double lr, LossWindow window)
    {
        var batches = new TokenBatch[_options.GradientAccumulationSteps];
        var counts = new int[batches.Length];
        var targetCount = 0;
        for (var i = 0; i < batches.Length; i++)
        {
            batches[i] = _sampler.Next();
            counts[i] = batches[i].Targets.Count(t => t != Ops.CrossEntropy.IgnoreIndex);
            targetCount += counts[i];
        }
        _model.ZeroGrad();
        long tokens = 0;
        for (var i = 0; i < batches.Length; i++)
        {
            var batch = batches[i];
            var acts = Activations(batch.Batch, batch.SeqLen);
            _model.Forward(batch, acts, _dropout);
            // Weight each micro-batch by its share of the step's targets, so the gradient is the token mean over the
            // whole accumulated batch (HF's num_items_in_batch), not a mean of micro-batch means.
            var stats = _model.Loss(batch, acts, targetCount == 0 ? 0f : (float)counts[i] / targetCount);
            if (stats.Count > 0)
            {
                _model.Backward(batch, acts);
            }
            window.Add(stats);
            tokens += batch.Rows;
        }
        var norm = GradientClipping.ClipByGlobalNorm(_optimizer.Parameters, _options.MaxGradNorm);
        _optimizer.Update(lr);
        window.AddTokens(tokens);
        return (norm, tokens);
    }

    /// <summary>Mean loss and token accuracy over the held-out rows, in order, without dropout: eval_loss, eval_mean_token_accuracy.</summary>
    public TrainingLog Evaluate()
    {
        if (_eval is null)
        {
            throw new InvalidOperationException("no evaluation rows were given");
        }
        double lossSum = 0;
        long count = 0, correct = 0;
        for (var i = 0; i < _eval.Count; i += _options.BatchSize)
        {
            var batch = TrainingRow.ToBatch(_eval.Skip(i).Take(_options.BatchSize).ToList());
            var acts = Activations(batch.Batch, batch.SeqLen);
            _model.Forward(batch, acts);
            var stats = _model.Ops.CrossEntropy(acts.Logits, batch.Targets, acts.Losses);
            lossSum += stats.LossSum;
            count += stats.Count;
            correct += stats.Correct;
        }
        return new TrainingLog(_step, new Dictionary<string, double>
        {
            ["eval_loss"] = count == 0 ? 0 : lossSum / count,
            ["eval_mean_token_accuracy"] = count == 0 ? 0 : (double)correct / count,
            ["epoch"] = _sampler.EpochProgress,
        });
    }

    private void Log(TrainingLog entry) => TrainerCheckpoint.Log(_history, entry, OutputDir, OnLog);

    private LlamaActivations Activations(int batch, int seqLen)
    {
        // One set per batch size (the eval tail may be smaller); sequence length is fixed within a run.
        if (!_acts.TryGetValue(batch, out var acts) || acts.SeqLen != seqLen)
        {
            _acts[batch] = acts = _model.CreateActivations(batch, seqLen);
        }
        return acts;
    }

    void ICheckpointedTrainer.SaveWeights(string dir) => CheckpointWeights.Save(_model, dir);

    void ICheckpointedTrainer.LoadWeights(string dir) => CheckpointWeights.Load(_model, dir);

    AdamW ICheckpointedTrainer.Optimizer => _optimizer;

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
