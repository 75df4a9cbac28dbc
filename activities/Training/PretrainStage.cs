using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;
using Pipeline.ML.Training;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>Pretraining from scratch on the dataset version's raw-text corpus with a character-level tokenizer (BPE
/// with no merges: 256 bytes + the chat tokens), 1% held out for eval_loss.</summary>
internal sealed class PretrainStage(IArtifactStore store, TrackingRuns tracking, RecipeWorkspace workspace, ILogger logger)
{
    public async Task<TrainResult> RunAsync(PretrainRequest r, CancellationToken ct)
    {
        var c = r.Config;
        var data = await DatasetVersionFiles.OpenAsync(store, r.Dataset, workspace, ct);
        var corpus = data.File(DatasetFileRole.Pretrain);
        // The tokenizer is a function of the corpus and the vocabulary size, so a retried attempt rebuilds the same one.
        var tok = new BpeTrainer(new BpeTrainerOptions { VocabSize = c.VocabSize }).Train(File.ReadLines(corpus));
        var end = tok.TokenToId("<|endoftext|>") ?? throw Failures.InvalidInput("the tokenizer has no <|endoftext|> token");
        var rows = PretrainingData.FromDocuments(File.ReadLines(corpus), tok, c.SeqLen, end);
        var (train, eval) = TrainValidationSplit.Split(rows, 0.05, c.Seed);
        var config = LlamaConfig.Create(tok.VocabSize, c.HiddenSize, c.IntermediateSize, c.Layers, c.Heads, tied: true) with { MaxPositionEmbeddings = c.MaxPositionEmbeddings };
        var m = new LlamaModel(config);
        m.InitializeWeights(c.Seed);
        m.SetBaseTrainable(true);
        var options = new TrainingOptions
        {
            MaxSteps = c.MaxSteps, BatchSize = c.BatchSize, LearningRate = c.LearningRate, WarmupSteps = c.WarmupSteps, MinLrRatio = c.MinLrRatio,
            AdamBeta2 = c.AdamBeta2, SaveSteps = c.SaveSteps, LoggingSteps = 50, Seed = c.Seed,
        };
        var run = new TrainingRun(store, workspace, logger, r.WorkflowId, "pretrain", c.MaxSteps);
        var trainer = new CausalLmTrainer(m, options, train, eval)
        {
            OutputDir = run.OutputDir, OnProgress = run.Progress, OnCheckpoint = run.Checkpoint,
        };
        var resumedAt = await run.ResumeAsync(dir => { TrainerCheckpoint.Resume(trainer, dir); return trainer.Step; }, ct);
        logger.LogStage("pretrain", $"{config.ParameterCount:N0} parameters, {train.Count} rows of {c.SeqLen} tokens{(resumedAt > 0 ? $"; resuming at step {resumedAt}" : "")}");
        var result = trainer.Train(ct);

        var summary = TrainingRun.Summary(result.History);
        var parameters = TrainingRun.Params(("hidden_size", c.HiddenSize), ("layers", c.Layers), ("heads", c.Heads), ("max_steps", c.MaxSteps),
            ("learning_rate", c.LearningRate), ("batch_size", c.BatchSize), ("seq_len", c.SeqLen), ("dataset", r.Dataset.ToString()), ("seed", c.Seed));
        var model = await StageModels.PutModelAsync(store, m, tok, Path.Combine(run.Dir, "model"), "base", r.WorkflowId, [r.Dataset.FilesDigest], parameters, ct);
        var runId = await tracking.LogAsync(r.WorkflowId, "pretrain", parameters, result.History, summary, ct);
        return new TrainResult(model, result.Steps, resumedAt, summary, runId);
    }
}
