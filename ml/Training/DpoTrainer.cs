using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Data;
using Pipeline.ML.Losses;
using Pipeline.ML.Models;
using Pipeline.ML.Optim;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Training;

/// <summary>
/// Direct preference optimisation and its variants (<see cref="DpoLossType"/>) on preference pairs, TRL's DPOTrainer
/// on this engine: each micro-batch of B pairs is one forward over 2B rows (chosen, then rejected), the reference's
/// log-probs come from a cache filled once before the first step, and the loop around it — AdamW, clipping, schedule,
/// accumulation, eval, checkpoints, exact resume — is <see cref="CausalLmTrainer"/>'s. It trains whatever the model has
/// marked trainable; with an active LoRA adapter the reference is the same model with the adapter switched off.
/// </summary>
public sealed class DpoTrainer : ICheckpointedTrainer
{
    private readonly LlamaModel _model;
    private readonly TrainingOptions _options;
    private readonly DpoOptions _dpo;
    private readonly IReadOnlyList<PreferenceExample> _train;
    private readonly IReadOnlyList<PreferenceExample> _eval;
    private readonly IndexSampler _sampler;
    private readonly AdamW _optimizer;
    private readonly LearningRateSchedule _schedule;
    private readonly int _seqLen;
    private readonly List<TrainingLog> _history = [];
    private readonly Dictionary<int, (LlamaActivations Acts, Tensor LogP, Tensor DLogP)> _buffers = [];
    private readonly DpoMetrics _window = new();
    private ReferenceLogProbs? _reference;
    private Rng _dropout;
    private long _step;
    private long _tokensSeen;

    /// <param name="options">the loop's settings; BatchSize counts pairs (TRL's per_device_train_batch_size).</param>
    public DpoTrainer(
        LlamaModel model, TrainingOptions options, DpoOptions dpo,
        IReadOnlyList<PreferenceExample> train, IReadOnlyList<PreferenceExample>? eval = null)
    {
        options.Validate();
        dpo.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException("no preference pairs to train on");
        }
        _model = model;
        _options = options;
        _dpo = dpo;
        _train = train;
        _eval = eval ?? [];
        // One row length for the run, so activations are allocated once: the longest prompt + completion of any pair.
        _seqLen = _train.Concat(_eval).Max(p => p.Length);
        if (_seqLen > model.Config.MaxPositionEmbeddings)
        {
            throw new ArgumentException(
                $"the longest pair needs {_seqLen} tokens but the model has max_position_embeddings {model.Config.MaxPositionEmbeddings}; " +
                "truncate with max_prompt_length / max_completion_length");
        }
        if (dpo.PadTokenId >= model.Config.VocabSize)
        {
            throw new ArgumentException($"pad_token_id {dpo.PadTokenId} is outside the vocabulary [0, {model.Config.VocabSize})");
        }
        var trainable = model.TrainableParameters.ToList();
        if (trainable.Count == 0)
        {
            throw new InvalidOperationException("nothing to train: mark the base weights or an adapter trainable first");
        }
        _sampler = new IndexSampler(train.Count, options.Seed, noun: "pairs");
        _optimizer = new AdamW(trainable, options.AdamW);
        _schedule = options.Schedule;
        _dropout = new Rng(options.Seed ^ 0xD50D50D5UL);
    }

    /// <summary>The file in <see cref="OutputDir"/> that caches the reference's log-probs. A caller that resumes in a
    /// fresh output folder (another machine) brings it back there first: trained weights cannot recompute it.</summary>
    public const string ReferenceCacheFile = ReferenceLogProbs.FileName;

    /// <summary>Receives every logged row (train every logging_steps, eval every eval_steps).</summary>
    public Action<TrainingLog>? OnLog { get; init; }

    /// <summary>Receives progress after every update.</summary>
    public Action<TrainingProgress>? OnProgress { get; init; }

    /// <summary>Called with each checkpoint-N directory right after it is written (e.g. to store it and heartbeat it).</summary>
    public Action<string>? OnCheckpoint { get; init; }

    /// <summary>Where checkpoint-N directories, metrics.jsonl and the reference cache go; null keeps everything in memory.</summary>
    public string? OutputDir { get; init; }

    public long Step => _step;

    public IReadOnlyList<TrainingLog> History => _history;

    /// <summary>Tokens per row this run pads every pair to.</summary>
    public int SeqLen => _seqLen;

    /// <summary>How many times this trainer ran the reference over the data: 1 on a fresh run, 0 when it read the cache
    /// (a resumed run) or the loss needs no reference (SimPO).</summary>
    public int ReferencePasses { get; private set; }

    public TrainingResult Train(CancellationToken ct = default)
    {
        EnsureReference();
        var clock = Stopwatch.StartNew();
        var startStep = _step;
        if (OutputDir is not null && _step > 0)
        {
            // A resumed run: rows logged after the last checkpoint are about to be logged again.
            TrainerCheckpoint.RewriteMetrics(OutputDir, _history);
        }
        long tokensSinceStart = 0;
        string? lastCheckpoint = null;
        _window.Reset();
        while (_step < _options.MaxSteps)
        {
            ct.ThrowIfCancellationRequested();
            var lr = _schedule.At(_step);
            var (gradNorm, tokens, loss) = TrainStep(lr);
            _step++;
            _tokensSeen += tokens;
            tokensSinceStart += tokens;

            var rate = tokensSinceStart / clock.Elapsed.TotalSeconds;
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / (_step - startStep) * (_options.MaxSteps - _step));
            OnProgress?.Invoke(new TrainingProgress(_step, _options.MaxSteps, loss, rate, clock.Elapsed, eta));

            var last = _step == _options.MaxSteps;
            if (_step % _options.LoggingSteps == 0 || last)
            {
                var row = _window.Flush("", _dpo.RpoAlpha);
                row["num_tokens"] = _tokensSeen;
                row["learning_rate"] = lr;
                row["grad_norm"] = gradNorm;
                row["epoch"] = _sampler.EpochProgress;
                row["tokens_per_second"] = rate;
                Log(new TrainingLog(_step, row));
            }
            if (_eval.Count > 0 && ((_options.EvalSteps > 0 && _step % _options.EvalSteps == 0) || last))
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

    private (double GradNorm, long Tokens, double Loss) TrainStep(double lr)
    {
        var micro = new PreferenceBatch[_options.GradientAccumulationSteps];
        var pairs = new int[micro.Length][];
        for (var m = 0; m < micro.Length; m++)
        {
            pairs[m] = _sampler.Next(_options.BatchSize);
            micro[m] = PreferenceBatch.Create([.. pairs[m].Select(i => _train[i])], _seqLen, _dpo.PadTokenId);
        }
        // The step's loss is the mean pair loss plus α times the token mean of the chosen NLL over the whole step
        // (HF's num_items_in_batch habit), so accumulation gives the gradient of one big batch.
        var pairWeight = 1.0 / (micro.Length * _options.BatchSize);
        var chosenTokens = micro.Sum(b => b.CompletionLength.Take(b.Pairs).Sum());
        var nllWeight = (_dpo.RpoAlpha ?? 0) / chosenTokens;
        var stepMetrics = new DpoMetrics();
        _model.ZeroGrad();
        long tokens = 0;
        for (var m = 0; m < micro.Length; m++)
        {
            var batch = micro[m];
            var (acts, logp, dlogp) = Buffers(batch.Tokens.Batch);
            _model.Forward(batch.Tokens, acts, _dropout);
            var reference = ReferenceLogProbs.Slice(_reference!.Train, pairs[m]);
            DpoObjective.Run(_model, acts, batch, reference, _dpo, logp, dlogp, stepMetrics, pairWeight, nllWeight, backward: true);
            _model.Backward(batch.Tokens, acts);
            tokens += batch.Tokens.Rows;
        }
        var norm = GradientClipping.ClipByGlobalNorm(_optimizer.Parameters, _options.MaxGradNorm);
        _optimizer.Update(lr);
        _window.Add(stepMetrics);
        return (norm, tokens, stepMetrics.Loss(_dpo.RpoAlpha));
    }

    /// <summary>The DPO metrics over the held-out pairs, in order, without dropout, with the eval_ prefix.</summary>
    public TrainingLog Evaluate()
    {
        if (_eval.Count == 0)
        {
            throw new InvalidOperationException("no evaluation pairs were given");
        }
        EnsureReference();
        var metrics = new DpoMetrics();
        for (var start = 0; start < _eval.Count; start += _options.BatchSize)
        {
            var indices = Enumerable.Range(start, Math.Min(_options.BatchSize, _eval.Count - start)).ToList();
            var batch = PreferenceBatch.Create([.. indices.Select(i => _eval[i])], _seqLen, _dpo.PadTokenId);
            var (acts, logp, dlogp) = Buffers(batch.Tokens.Batch);
            _model.Forward(batch.Tokens, acts);
            DpoObjective.Run(_model, acts, batch, ReferenceLogProbs.Slice(_reference!.Eval, indices), _dpo, logp, dlogp, metrics);
        }
        var row = metrics.Flush("eval_", _dpo.RpoAlpha);
        row["epoch"] = _sampler.EpochProgress;
        return new TrainingLog(_step, row);
    }

    private void EnsureReference()
    {
        if (_reference is null)
        {
            _reference = ReferenceLogProbs.Obtain(_model, _train, _eval, _dpo, _options.BatchSize, _seqLen, OutputDir, _step, out var computed);
            ReferencePasses += computed ? 1 : 0;
        }
    }

    private void Log(TrainingLog entry) => TrainerCheckpoint.Log(_history, entry, OutputDir, OnLog);

    private (LlamaActivations Acts, Tensor LogP, Tensor DLogP) Buffers(int rows)
    {
        // One set per row count (the eval tail may be smaller); the row length is fixed for the run.
        if (!_buffers.TryGetValue(rows, out var b))
        {
            _buffers[rows] = b = (_model.CreateActivations(rows, _seqLen), new Tensor(rows * _seqLen), new Tensor(rows * _seqLen));
        }
        return b;
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
