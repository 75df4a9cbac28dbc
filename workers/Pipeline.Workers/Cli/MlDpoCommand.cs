using System.CommandLine;
using Pipeline.ML.Data;
using Pipeline.ML.Losses;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;
using Pipeline.ML.Training;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline ml train dpo`: DPO (or IPO, hinge, SimPO; optional RPO NLL term) on TRL-format preference JSONL,
/// full weights or a LoRA adapter, with TRL's DPOConfig names.</summary>
public static class MlDpoCommand
{
    public static Command Create()
    {
        var flags = new TrainFlags();
        var lora = new LoraFlags();
        var model = new Option<string>("--model") { Description = "Starting model directory (HF layout), usually the SFT model; also the reference", Required = true, HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the model directory's)", HelpName = "FILE" };
        var data = new Option<string>("--data") { Description = "JSONL of {\"prompt\", \"chosen\", \"rejected\"} (strings or messages; implicit prompt allowed)", Required = true, HelpName = "FILE" };
        var evalData = new Option<string?>("--eval-data") { Description = "Held-out pairs for the eval_ metrics (default: --eval-fraction of --data)", HelpName = "FILE" };
        var lossType = new Option<string>("--loss-type") { Description = "sigmoid (DPO), hinge, ipo or simpo", DefaultValueFactory = _ => "sigmoid" };
        var beta = new Option<double?>("--beta") { Description = "beta (default 0.1; 2.0 for simpo)" };
        var rpoAlpha = new Option<double?>("--rpo-alpha") { Description = "Weight of an NLL term on the chosen completion (RPO); off when absent" };
        var smoothing = new Option<double>("--label-smoothing") { Description = "cDPO label smoothing for sigmoid/simpo", DefaultValueFactory = _ => 0 };
        var gamma = new Option<double?>("--simpo-gamma") { Description = "SimPO target margin gamma (default beta/2)" };
        var maxPrompt = new Option<int>("--max-prompt-length") { Description = "Keep the last N prompt tokens", DefaultValueFactory = _ => 512 };
        var maxCompletion = new Option<int?>("--max-completion-length") { Description = "Keep the first N completion tokens (default: no limit)" };
        var cmd = new Command("dpo", "Direct preference optimisation on preference pairs (the reference is the starting model, computed once)")
        {
            model, tokenizer, data, evalData, lossType, beta, rpoAlpha, smoothing, gamma, maxPrompt, maxCompletion,
        };
        lora.AddTo(cmd);
        flags.AddTo(cmd, seqLen: false);
        cmd.SetAction((p, ct) =>
        {
            var options = flags.Read(p);
            var baseDir = p.GetValue(model)!;
            var tok = ByteLevelBpeTokenizer.Load(p.GetValue(tokenizer) ?? Path.Combine(baseDir, "tokenizer.json"));
            var m = LlamaCheckpoint.Load(baseDir);
            var dataOptions = new PreferenceDataOptions { MaxPromptLength = p.GetValue(maxPrompt), MaxCompletionLength = p.GetValue(maxCompletion) };
            var (train, eval) = LoadPairs(p.GetValue(data)!, p.GetValue(evalData), p.GetValue(flags.EvalFraction), options.Seed, tok, dataOptions);
            var dpo = new DpoOptions
            {
                LossType = ParseLossType(p.GetValue(lossType)!), Beta = p.GetValue(beta), RpoAlpha = p.GetValue(rpoAlpha),
                LabelSmoothing = p.GetValue(smoothing), SimpoGamma = p.GetValue(gamma), PadTokenId = tok.TokenToId("<|endoftext|>") ?? 0,
            };
            try { dpo.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            var adapter = lora.Apply(p, m, options.Seed);
            var outDir = p.GetValue(flags.Output)!;
            var printer = new TrainingProgressPrinter();
            DpoTrainer trainer;
            try
            {
                trainer = new DpoTrainer(m, options, dpo, train, eval) { OutputDir = outDir, OnProgress = printer.Progress, OnLog = TrainingProgressPrinter.Log };
            }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            Console.Error.WriteLine($"dpo ({dpo.LossType}, beta {dpo.EffectiveBeta}{(dpo.RpoAlpha is { } a ? $", rpo_alpha {a}" : "")}): " +
                $"{train.Count} pairs, {eval.Count} held out, rows of {trainer.SeqLen}; training {m.TrainableParameters.Sum(x => (long)x.Value.Length):N0} parameters");
            var result = flags.Run(p, trainer, outDir, ct);
            LoraFlags.SaveTrained(adapter, m, baseDir, tok, outDir, result.Steps);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static (IReadOnlyList<PreferenceExample> Train, IReadOnlyList<PreferenceExample> Eval) LoadPairs(
        string path, string? evalPath, double evalFraction, ulong seed, ByteLevelBpeTokenizer tok, PreferenceDataOptions options)
    {
        if (!File.Exists(path)) throw new UsageException($"--data {path}: no such file");
        var pairs = PreferenceDataset.LoadJsonl(path, tok, options);
        if (pairs.Count == 0) throw new UsageException($"--data {path}: no preference pairs");
        if (evalPath is not null)
        {
            if (!File.Exists(evalPath)) throw new UsageException($"--eval-data {evalPath}: no such file");
            return (pairs, PreferenceDataset.LoadJsonl(evalPath, tok, options));
        }
        var (train, eval) = TrainValidationSplit.Split(pairs, evalFraction, seed);
        return (train, eval);
    }

    private static DpoLossType ParseLossType(string name) => name switch
    {
        "sigmoid" => DpoLossType.Sigmoid,
        "hinge" => DpoLossType.Hinge,
        "ipo" => DpoLossType.Ipo,
        "simpo" => DpoLossType.SimPO,
        _ => throw new UsageException($"--loss-type must be sigmoid, hinge, ipo or simpo, got '{name}'"),
    };
}
