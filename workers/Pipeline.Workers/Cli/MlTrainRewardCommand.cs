using System.CommandLine;
using Pipeline.ML.Data;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tokenization;
using Pipeline.ML.Training;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline ml train reward`: a reward model (the backbone of a causal LM + a scalar head on the last token)
/// trained with the Bradley–Terry loss on TRL-format preference JSONL, full weights or a LoRA adapter + head.</summary>
public static class MlTrainRewardCommand
{
    public static Command Create()
    {
        var flags = new TrainFlags();
        var lora = new LoraFlags();
        var model = new Option<string>("--model") { Description = "Causal LM to start from (HF layout), usually the SFT model: its lm_head is replaced by the score head", Required = true, HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the model directory's)", HelpName = "FILE" };
        var data = new Option<string>("--data") { Description = "JSONL of {\"prompt\", \"chosen\", \"rejected\"} (strings or messages; implicit prompt allowed)", Required = true, HelpName = "FILE" };
        var evalData = new Option<string?>("--eval-data") { Description = "Held-out pairs for the eval_ metrics (default: --eval-fraction of --data)", HelpName = "FILE" };
        var center = new Option<double>("--center-rewards-coefficient") { Description = "Weight of c·mean((r_w + r_l)²), keeping rewards near 0 (0: off)", DefaultValueFactory = _ => 0 };
        var maxPrompt = new Option<int>("--max-prompt-length") { Description = "Keep the last N prompt tokens", DefaultValueFactory = _ => 512 };
        var maxCompletion = new Option<int?>("--max-completion-length") { Description = "Keep the first N completion tokens (default: no limit)" };
        var cmd = new Command("reward", "Train a reward model (Bradley–Terry on preference pairs) for GRPO rewards or preference labelling")
        {
            model, tokenizer, data, evalData, center, maxPrompt, maxCompletion,
        };
        lora.AddTo(cmd);
        flags.AddTo(cmd, seqLen: false);
        cmd.SetAction((p, ct) =>
        {
            var options = new RewardTrainingOptions { Training = flags.Read(p), CenterRewardsCoefficient = p.GetValue(center) };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            var baseDir = p.GetValue(model)!;
            var tok = ByteLevelBpeTokenizer.Load(p.GetValue(tokenizer) ?? Path.Combine(baseDir, "tokenizer.json"));
            var rm = RewardCheckpoint.FromCausalLm(baseDir, options.Training.Seed);
            rm.PadTokenId ??= tok.TokenToId("<|endoftext|>");
            var dataOptions = new PreferenceDataOptions { MaxPromptLength = p.GetValue(maxPrompt), MaxCompletionLength = p.GetValue(maxCompletion) };
            var (train, eval) = Load(p.GetValue(data)!, p.GetValue(evalData), p.GetValue(flags.EvalFraction), options.Training.Seed, tok, dataOptions, rm.Config.MaxPositionEmbeddings);
            var adapter = lora.Apply(p, rm.Backbone, options.Training.Seed);
            rm.Head.SetTrainable(true);
            var outDir = p.GetValue(flags.Output)!;
            var printer = new TrainingProgressPrinter();
            var trainer = new RewardTrainer(rm, options, train, eval) { OutputDir = outDir, OnProgress = printer.Progress, OnLog = TrainingProgressPrinter.Log };
            Console.Error.WriteLine($"reward model: {train.Count} pairs, {eval.Count} held out; training {rm.TrainableParameters.Sum(x => (long)x.Value.Length):N0} parameters" +
                (adapter is null ? "" : " (LoRA + score head)"));
            var result = flags.Run(p, trainer, outDir, ct);
            // The directory is a standalone reward model either way (what reward-model:DIR and reward_model:DIR read);
            // a LoRA run also keeps its adapter + head in adapter/, PEFT's SEQ_CLS layout.
            if (adapter is not null)
            {
                RewardCheckpoint.SaveAdapter(rm, Path.Combine(outDir, "adapter"), Path.GetFullPath(baseDir));
            }
            RewardCheckpoint.SaveMerged(rm, outDir);
            tok.Save(Path.Combine(outDir, "tokenizer.json"));
            Console.Error.WriteLine($"wrote {outDir} after {result.Steps} steps");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static (List<RewardPair> Train, List<RewardPair> Eval) Load(
        string path, string? evalPath, double evalFraction, ulong seed, ByteLevelBpeTokenizer tok, PreferenceDataOptions options, int maxPositions)
    {
        if (!File.Exists(path)) throw new UsageException($"--data {path}: no such file");
        var pairs = PreferenceDataset.LoadJsonl(path, tok, options);
        if (pairs.Count == 0) throw new UsageException($"--data {path}: no preference pairs");
        IReadOnlyList<PreferenceExample> train = pairs, eval = [];
        if (evalPath is not null)
        {
            if (!File.Exists(evalPath)) throw new UsageException($"--eval-data {evalPath}: no such file");
            eval = PreferenceDataset.LoadJsonl(evalPath, tok, options);
        }
        else
        {
            (train, eval) = TrainValidationSplit.Split(pairs, evalFraction, seed);
        }
        return (Rows(train, path, maxPositions), Rows(eval, evalPath ?? path, maxPositions));
    }

    private static List<RewardPair> Rows(IReadOnlyList<PreferenceExample> pairs, string source, int maxPositions) =>
        [.. pairs.Select(e => e.Length <= maxPositions
            ? new RewardPair(e.Prompt, e.Chosen, e.Rejected)
            : throw new ML.IO.DataFormatException($"{source}:{e.Line}: the pair needs {e.Length} tokens, more than max_position_embeddings " +
                $"{maxPositions}; lower --max-prompt-length or set --max-completion-length"))];
}
