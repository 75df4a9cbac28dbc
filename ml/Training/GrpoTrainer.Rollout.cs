using System.Diagnostics;
using Pipeline.ML.Data;
using Pipeline.ML.Generation;
using Pipeline.ML.Losses;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Training;

public sealed partial class GrpoTrainer
{
    // Samples G completions for each of the step's prompts, scores them and computes advantages; with μ > 1 or β > 0,
    // also the π_old and π_ref log-probs the updates compare against. Logs the rollout's metrics into the window.
    private GrpoRollout Rollout(GrpoMetrics window)
    {
        var g = _options.NumGenerations;
        var picked = _sampler.Next(_options.PromptsPerStep);
        var prompts = picked.SelectMany(i => Enumerable.Repeat(_prompts[i], g)).ToArray();
        var clock = Stopwatch.StartNew();
        var generation = new GenerationOptions
        {
            MaxNewTokens = _options.MaxCompletionLength, Temperature = _options.Temperature, TopK = _options.TopK,
            TopP = _options.TopP, StopTokenIds = _options.StopTokenIds, Seed = _rollout.NextUInt64(),
        };
        var results = new Generator(_model, _tokenizer).Generate([.. prompts.Select(p => p.Ids)], generation);
        var seconds = clock.Elapsed.TotalSeconds;
        var (rewards, byFunction) = Score(prompts, results);
        var rollout = new GrpoRollout
        {
            Prompts = prompts,
            Completions = [.. results.Select(r => r.Tokens)],
            Truncated = [.. results.Select(r => r.FinishReason == FinishReason.Length)],
            Rewards = rewards,
            RewardsByFunction = byFunction,
            Advantages = GrpoAdvantages.Compute(rewards, g, _options.ScaleRewards),
            MicroBatches = GrpoRollout.Rows(prompts, [.. results.Select(r => r.Tokens)], _seqLen, _options.Training.BatchSize),
            MicroBatchSize = _options.Training.BatchSize,
        };
        if (_options.NumIterations > 1)
        {
            rollout.OldLogps = CompletionLogps(rollout, (batch, acts, logp) =>
            {
                _model.Forward(batch, acts);
                _model.Ops.TokenLogProbs(acts.Logits, batch.Targets, logp);
            });
        }
        if (_reference is not null)
        {
            rollout.RefLogps = CompletionLogps(rollout, _reference.LogProbs);
        }
        LogRollout(rollout, seconds, window);
        return rollout;
    }

    private float[][] CompletionLogps(GrpoRollout rollout, Action<Models.TokenBatch, Models.LlamaActivations, Tensor> forward)
    {
        var perCompletion = new float[rollout.Completions.Length][];
        var b = rollout.MicroBatchSize;
        var logp = new Tensor(b * _seqLen);
        for (var m = 0; m < rollout.MicroBatches.Length; m++)
        {
            forward(rollout.MicroBatches[m], Activations(b), logp);
            for (var i = m * b; i < (m + 1) * b; i++)
            {
                perCompletion[i] = logp.Span.Slice(rollout.FirstTargetRow(i), rollout.Completions[i].Length).ToArray();
            }
        }
        return perCompletion;
    }

    // The weighted sum of every reward function's scores (TRL's reward_weights), and each function's own scores.
    private (double[] Total, double[][] ByFunction) Score(PromptExample[] prompts, IReadOnlyList<GenerationResult> results)
    {
        var inputs = prompts.Zip(results, (p, r) => new RewardInput(p.Id, p.Text, r.Text ?? "", p.Columns)).ToList();
        var total = new double[inputs.Count];
        var byFunction = new double[_rewards.Count][];
        for (var f = 0; f < _rewards.Count; f++)
        {
            var scores = _rewards[f].Score(inputs);
            if (scores.Count != inputs.Count)
            {
                throw new InvalidOperationException($"reward function '{_rewards[f].Name}' returned {scores.Count} scores for {inputs.Count} completions");
            }
            byFunction[f] = [.. scores];
            for (var i = 0; i < total.Length; i++)
            {
                total[i] += _weights[f] * scores[i];
            }
        }
        return (total, byFunction);
    }

    private void LogRollout(GrpoRollout r, double seconds, GrpoMetrics window)
    {
        var stds = GrpoAdvantages.GroupStds(r.Rewards, _options.NumGenerations);
        window.Add("reward", r.Rewards.Average());
        window.Add("reward_std", stds.Average());
        window.Add("frac_reward_zero_std", stds.Count(s => s < 1e-9) / (double)stds.Length);
        for (var f = 0; f < _rewards.Count; f++)
        {
            var scores = r.RewardsByFunction[f];
            window.Add($"rewards/{_rewards[f].Name}/mean", scores.Average());
            window.Add($"rewards/{_rewards[f].Name}/std", GrpoAdvantages.PopulationStd(scores, 0, scores.Length));
        }
        var lengths = r.Completions.Select(c => (double)c.Length).ToArray();
        window.Add("completions/mean_length", lengths.Average());
        window.Add("completions/min_length", lengths.Min());
        window.Add("completions/max_length", lengths.Max());
        window.Add("completions/clipped_ratio", r.Truncated.Count(t => t) / (double)r.Truncated.Length);
        window.Add("rollout_tokens_per_second", r.GeneratedTokens / Math.Max(seconds, 1e-9));
    }

    /// <summary>
    /// Mean reward of one completion per held-out prompt (greedy unless eval temperature &gt; 0, then seeded from the
    /// run's seed so every eval draws alike): eval_reward and eval_rewards/{name}/mean.
    /// </summary>
    public TrainingLog Evaluate()
    {
        if (_eval is null)
        {
            throw new InvalidOperationException("no evaluation prompts were given");
        }
        var prompts = _eval.ToArray();
        var options = new GenerationOptions
        {
            MaxNewTokens = _options.MaxCompletionLength, Temperature = _options.EvalTemperature, TopK = _options.TopK,
            TopP = _options.TopP, StopTokenIds = _options.StopTokenIds, Seed = _options.Training.Seed,
        };
        var results = new Generator(_model, _tokenizer).Generate([.. prompts.Select(p => p.Ids)], options);
        var (total, byFunction) = Score(prompts, results);
        var row = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["eval_reward"] = total.Average(),
            ["epoch"] = _sampler.EpochProgress,
        };
        for (var f = 0; f < _rewards.Count; f++)
        {
            row[$"eval_rewards/{_rewards[f].Name}/mean"] = byFunction[f].Average();
        }
        return new TrainingLog(_step, row);
    }
}
