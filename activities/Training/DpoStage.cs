using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Models;
using Pipeline.ML.Data;
using Pipeline.ML.IO;
using Pipeline.ML.Losses;
using Pipeline.ML.Optim;
using Pipeline.ML.Preferences;
using Pipeline.ML.Tokenization;
using Pipeline.ML.Training;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>
/// DPO (sigmoid loss, β = <see cref="PreferenceConfig.Beta"/>, RPO NLL term <see cref="PreferenceConfig.RpoAlpha"/>) on
/// the preferences stage's pair set, from the SFT model: a fresh LoRA adapter on the merged SFT model, whose reference is
/// the same model with the adapter off (as in <see cref="GrpoStage"/>); cosine learning rate after warmup. The SFT and DPO
/// adapters are composed into one "final" adapter on the base; with LoRA rank 0 every weight trains.
/// </summary>
internal sealed class DpoStage(IArtifactStore store, TrackingRuns tracking, RecipeWorkspace workspace, ILogger logger)
{
    public async Task<TrainResult> RunAsync(PreferenceTrainRequest r, CancellationToken ct)
    {
        var c = r.Config;
        var digest = r.PreferencesDigest ?? throw Failures.InvalidInput(
            "PreferenceTrainRequest.PreferencesDigest is null: DPO trains on the pair set the preferences stage (CollectPreferencesAsync) stored");
        var setDir = await ModelPackages.DirectoryOnceAsync(store, digest, workspace.Cache, ct);
        var file = Path.Combine(setDir, PreferencesFile.FileName);
        if (!File.Exists(file)) throw Failures.InvalidInput($"preference set {digest} has no {PreferencesFile.FileName}");
        var loaded = await StageModels.LoadAsync(store, workspace, r.Sft, ct);
        var run = new TrainingRun(store, workspace, logger, r.WorkflowId, "dpo", c.DpoMaxSteps);
        var (m, sftAdapter) = StageModels.MergedSft(loaded, Path.Combine(run.Dir, "merged-sft"));
        var tok = loaded.Tokenizer;
        IReadOnlyList<PreferenceExample> pairs;
        try
        {
            pairs = PreferenceDataset.LoadJsonl(file, tok, new PreferenceDataOptions());
        }
        catch (DataFormatException e)
        {
            throw Failures.InvalidInput($"preference set {digest}: {e.Message}", e);
        }
        if (pairs.Count == 0) throw Failures.InvalidInput($"preference set {digest}: {PreferencesFile.FileName} has no pairs");
        var adapter = StageModels.AttachFresh(m, "dpo", c.LoraR, c.LoraAlpha, c.Seed);
        var options = new TrainingOptions
        {
            MaxSteps = c.DpoMaxSteps, BatchSize = c.BatchSize, LearningRate = c.DpoLearningRate, WarmupSteps = c.DpoWarmupSteps,
            LrSchedulerType = ScheduleKind.Cosine, SaveSteps = c.SaveSteps, LoggingSteps = 5, Seed = c.Seed,
        };
        var dpo = new DpoOptions
        {
            LossType = DpoLossType.Sigmoid, Beta = c.Beta, RpoAlpha = c.RpoAlpha > 0 ? c.RpoAlpha : null, PadTokenId = tok.TokenToId(ChatTemplate.EndOfText) ?? 0,
        };
        DpoTrainer trainer;
        try
        {
            trainer = new DpoTrainer(m, options, dpo, pairs)
            {
                OutputDir = run.OutputDir, OnProgress = run.Progress,
                OnCheckpoint = dir => { CopyReference(run.OutputDir, dir); run.Checkpoint(dir); },
            };
        }
        catch (ArgumentException e)
        {
            throw Failures.InvalidInput($"DPO on preference set {digest}: {e.Message}", e);
        }
        var resumedAt = await run.ResumeAsync(dir => { CopyReference(dir, run.OutputDir); TrainerCheckpoint.Resume(trainer, dir); return trainer.Step; }, ct);
        logger.LogStage("dpo", $"{pairs.Count} pairs, {c.BatchSize} a step, rows of {trainer.SeqLen}; β {c.Beta}, rpo_alpha {c.RpoAlpha}, lr {c.DpoLearningRate} cosine; " +
            $"{(adapter is null ? "full weights" : $"LoRA r{c.LoraR}")}{(resumedAt > 0 ? $"; resuming at step {resumedAt}" : "")}");
        var result = trainer.Train(ct);

        var summary = TrainingRun.Summary(result.History);
        var parameters = TrainingRun.Params(("algorithm", "dpo"), ("loss_type", "sigmoid"), ("lora_r", c.LoraR), ("max_steps", c.DpoMaxSteps),
            ("learning_rate", c.DpoLearningRate), ("warmup_steps", c.DpoWarmupSteps), ("lr_scheduler", "cosine"), ("beta", c.Beta), ("rpo_alpha", c.RpoAlpha),
            ("pairs_per_step", c.BatchSize), ("pairs", pairs.Count), ("preferences", digest), ("dataset", r.Dataset.ToString()), ("parent", r.Sft.PackageDigest));
        var model = await StageModels.PutFinalAsync(store, loaded, m, sftAdapter, adapter, r.Sft, run.Dir, r.WorkflowId, parameters, ct);
        var runId = await tracking.LogAsync(r.WorkflowId, "dpo", parameters, result.History, summary, ct);
        return new TrainResult(model with { Label = "final" }, result.Steps, resumedAt, summary, runId);
    }

    /// <summary>The reference's log-probs travel with each stored checkpoint: a retried attempt resumes in a fresh folder,
    /// where the trainer would otherwise have to recompute them from trained weights (and refuses to).</summary>
    private static void CopyReference(string fromDir, string toDir)
    {
        var source = Path.Combine(fromDir, DpoTrainer.ReferenceCacheFile);
        if (!File.Exists(source)) return;
        Directory.CreateDirectory(toDir);
        File.Copy(source, Path.Combine(toDir, DpoTrainer.ReferenceCacheFile), overwrite: true);
    }
}
