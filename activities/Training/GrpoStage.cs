using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.ML.Data;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Optim;
using Pipeline.ML.Tokenization;
using Pipeline.ML.Training;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>
/// GRPO from the SFT model with the demo domain's verifier as reward. The SFT adapter is merged into the base; a fresh
/// adapter trains on top (its reference, for the KL term, is the merged SFT model with the adapter off — TRL's
/// arrangement); then the two adapters are composed into one on the original base (<see cref="LoraComposition"/>), so
/// the served model is one LoRA on the shared base. With LoRA rank 0 every weight of the merged model trains and the
/// result is a whole model.
/// </summary>
internal sealed class GrpoStage(IArtifactStore store, TrackingRuns tracking, RecipeWorkspace workspace, ILogger logger)
{
    public async Task<TrainResult> RunAsync(PreferenceTrainRequest r, CancellationToken ct)
    {
        var c = r.Config;
        var data = await DatasetVersionFiles.OpenAsync(store, r.Dataset, workspace, ct);
        var loaded = await StageModels.LoadAsync(store, workspace, r.Sft, ct);
        var run = new TrainingRun(store, workspace, logger, r.WorkflowId, "grpo", c.MaxSteps);
        var (m, sftAdapter) = StageModels.MergedSft(loaded, Path.Combine(run.Dir, "merged-sft"));
        var tok = loaded.Tokenizer;
        var plain = PromptDataset.LoadJsonl(data.File(DatasetFileRole.Prompts), tok);
        var prompts = PromptMix.Apply(plain, c.PromptMixColumn, c.PromptMix);
        if (prompts.Count == 0) throw Failures.InvalidInput($"Preference.PromptMix leaves no prompt of {plain.Count} to train on");
        var adapter = StageModels.AttachFresh(m, "grpo", c.LoraR, c.LoraAlpha, c.Seed);
        var options = new GrpoOptions
        {
            Training = new TrainingOptions
            {
                MaxSteps = c.MaxSteps, BatchSize = c.BatchSize * c.NumGenerations, LearningRate = c.LearningRate, SaveSteps = c.SaveSteps,
                LrSchedulerType = ScheduleKind.Constant,
                LoggingSteps = 5, Seed = c.Seed,
            },
            NumGenerations = c.NumGenerations, MaxCompletionLength = c.MaxCompletionLength, Temperature = c.Temperature, TopK = c.TopK,
            Beta = c.Beta, StopTokenIds = ChatTemplate.StopTokenIds(tok),
        };
        var trainer = new GrpoTrainer(m, tok, options, prompts, [new DemoVerifier()])
        {
            OutputDir = run.OutputDir, OnProgress = run.Progress, OnCheckpoint = run.Checkpoint,
        };
        var resumedAt = await run.ResumeAsync(dir => { TrainerCheckpoint.Resume(trainer, dir); return trainer.Step; }, ct);
        var mix = PromptMix.Describe(plain, c.PromptMixColumn, c.PromptMix);
        logger.LogStage("grpo", $"{prompts.Count} prompts ({mix}) × {c.NumGenerations} completions, {c.BatchSize} prompts a step, " +
            $"{(adapter is null ? "full weights" : $"LoRA r{c.LoraR}")}{(resumedAt > 0 ? $"; resuming at step {resumedAt}" : "")}");
        var result = trainer.Train(ct);

        var summary = TrainingRun.Summary(result.History);
        var parameters = TrainingRun.Params(("algorithm", "grpo"), ("lora_r", c.LoraR), ("max_steps", c.MaxSteps), ("learning_rate", c.LearningRate),
            ("beta", c.Beta), ("num_generations", c.NumGenerations), ("prompts_per_step", c.BatchSize), ("temperature", c.Temperature),
            ("top_k", c.TopK), ("prompt_mix", mix), ("reward", "demo verifier"), ("dataset", r.Dataset.ToString()), ("parent", r.Sft.PackageDigest));
        var model = await StageModels.PutFinalAsync(store, loaded, m, sftAdapter, adapter, r.Sft, run.Dir, r.WorkflowId, parameters, ct);
        var runId = await tracking.LogAsync(r.WorkflowId, "grpo", parameters, result.History, summary, ct);
        return new TrainResult(model with { Label = "final" }, result.Steps, resumedAt, summary, runId);
    }
}
