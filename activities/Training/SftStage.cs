using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.ML.Data;
using Pipeline.ML.Lora;
using Pipeline.ML.Training;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>LoRA SFT on the dataset version's SFT split: loss on assistant tokens, examples packed, 5% held out for
/// eval_loss; the adapter is stored over the base it was trained on.</summary>
internal sealed class SftStage(IArtifactStore store, TrackingRuns tracking, RecipeWorkspace workspace, ILogger logger)
{
    public async Task<TrainResult> RunAsync(SftRequest r, CancellationToken ct)
    {
        var c = r.Config;
        var data = await DatasetVersionFiles.OpenAsync(store, r.Dataset, workspace, ct);
        var loaded = await StageModels.LoadAsync(store, workspace, r.Base, ct);
        if (loaded.Package.AdapterDigest is not null)
        {
            throw Failures.InvalidInput($"SFT starts from a plain base model, but {r.Base} carries an adapter");
        }
        var (m, tok) = (loaded.Model, loaded.Tokenizer);
        var examples = SftDataset.LoadJsonl(data.File(DatasetFileRole.Sft), tok, new SftDataOptions { MaxLength = c.SeqLen });
        var (trainEx, evalEx) = TrainValidationSplit.Split(examples, 0.05, c.Seed);
        var pad = tok.TokenToId("<|endoftext|>") ?? 0;
        var train = SftRows.Build(trainEx, c.SeqLen, pad, packing: true);
        var eval = evalEx.Count == 0 ? [] : SftRows.Build(evalEx, c.SeqLen, pad, packing: true);

        var adapter = LoraAdapter.Create("sft", new LoraConfig { R = c.LoraR, Alpha = c.LoraAlpha, Dropout = c.LoraDropout, Targets = LoraTargets.Parse(["all-linear"]) }, m.Config, c.Seed);
        m.AddAdapter(adapter);
        m.SetActiveAdapter("sft");
        adapter.SetTrainable(true);
        var options = new TrainingOptions
        {
            MaxSteps = c.MaxSteps, BatchSize = c.BatchSize, LearningRate = c.LearningRate, WarmupSteps = c.WarmupSteps, SaveSteps = c.SaveSteps, LoggingSteps = 10, Seed = c.Seed,
        };
        var run = new TrainingRun(store, workspace, logger, r.WorkflowId, "sft", c.MaxSteps);
        var trainer = new CausalLmTrainer(m, options, train, eval)
        {
            OutputDir = run.OutputDir, OnProgress = run.Progress, OnCheckpoint = run.Checkpoint,
        };
        var resumedAt = await run.ResumeAsync(dir => { TrainerCheckpoint.Resume(trainer, dir); return trainer.Step; }, ct);
        logger.LogStage("sft", $"{examples.Count} examples → {train.Count} packed rows of {c.SeqLen}; LoRA r{c.LoraR} on {r.Base}{(resumedAt > 0 ? $"; resuming at step {resumedAt}" : "")}");
        var result = trainer.Train(ct);

        var summary = TrainingRun.Summary(result.History);
        var parameters = TrainingRun.Params(("lora_r", c.LoraR), ("lora_alpha", c.LoraAlpha), ("max_steps", c.MaxSteps), ("learning_rate", c.LearningRate),
            ("batch_size", c.BatchSize), ("seq_len", c.SeqLen), ("dataset", r.Dataset.ToString()), ("base", r.Base.PackageDigest));
        var model = await StageModels.PutAdapterAsync(store, adapter, loaded.BaseDir, loaded.Package.BaseDigest, tok, Path.Combine(run.Dir, "adapter"), "sft",
            r.WorkflowId, parameters, ct);
        var runId = await tracking.LogAsync(r.WorkflowId, "sft", parameters, result.History, summary, ct);
        return new TrainResult(model, result.Steps, resumedAt, summary, runId);
    }
}
