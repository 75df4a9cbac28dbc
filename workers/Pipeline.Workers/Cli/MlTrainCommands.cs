using System.CommandLine;
using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;
using Pipeline.ML.Training;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline ml train pretrain|sft|dpo|grpo`: causal-LM pretraining from raw text, SFT (full, LoRA or QLoRA) on
/// TRL-format JSONL, DPO (<see cref="MlDpoCommand"/>) and GRPO (<see cref="MlTrainGrpoCommand"/>).</summary>
public static class MlTrainCommands
{
    public static Command Create()
    {
        var cmd = new Command("train", "Train a LLaMA-architecture model on the CPU");
        cmd.Subcommands.Add(Pretrain());
        cmd.Subcommands.Add(Sft());
        cmd.Subcommands.Add(MlDpoCommand.Create());
        cmd.Subcommands.Add(MlTrainGrpoCommand.Create());
        cmd.Subcommands.Add(MlTrainRewardCommand.Create());
        return cmd;
    }

    private static Command Pretrain()
    {
        var flags = new TrainFlags();
        var corpus = new Option<string>("--corpus") { Description = "UTF-8 text, one document per line", Required = true, HelpName = "FILE" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "tokenizer.json", Required = true, HelpName = "FILE" };
        var config = new Option<string>("--config") { Description = "HF config.json of the model to create (vocab_size may be omitted: the tokenizer's)", Required = true, HelpName = "FILE" };
        var eot = new Option<string>("--end-of-text") { Description = "Token appended to every document", DefaultValueFactory = _ => "<|endoftext|>" };
        var cmd = new Command("pretrain", "Causal-LM pretraining from scratch on raw text") { corpus, tokenizer, config, eot };
        flags.AddTo(cmd);
        cmd.SetAction((p, ct) =>
        {
            var options = flags.Read(p);
            var tok = ByteLevelBpeTokenizer.Load(p.GetValue(tokenizer)!);
            var end = tok.TokenToId(p.GetValue(eot)!) ?? throw new UsageException($"--end-of-text '{p.GetValue(eot)}' is not a token of the tokenizer");
            var modelConfig = ReadConfig(p.GetValue(config)!, tok.VocabSize);
            var path = p.GetValue(corpus)!;
            if (!File.Exists(path)) throw new UsageException($"--corpus {path}: no such file");
            var rows = PretrainingData.FromDocuments(File.ReadLines(path), tok, p.GetValue(flags.SeqLen), end);
            var (train, eval) = TrainValidationSplit.Split(rows, p.GetValue(flags.EvalFraction), options.Seed);
            var model = new LlamaModel(modelConfig);
            model.InitializeWeights(options.Seed);
            model.SetBaseTrainable(true);
            Console.Error.WriteLine($"model: {modelConfig.ParameterCount:N0} parameters; data: {train.Count} rows of {p.GetValue(flags.SeqLen)} tokens, {eval.Count} held out");
            var outDir = p.GetValue(flags.Output)!;
            var result = flags.Run(p, Trainer(model, options, train, eval, outDir), outDir, ct);
            LlamaCheckpoint.Save(model, outDir);
            tok.Save(Path.Combine(outDir, "tokenizer.json"));
            Console.Error.WriteLine($"wrote {outDir} after {result.Steps} steps");
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static Command Sft()
    {
        var flags = new TrainFlags();
        var model = new Option<string>("--model") { Description = "Base model directory (HF layout)", Required = true, HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the model directory's)", HelpName = "FILE" };
        var data = new Option<string>("--data") { Description = "JSONL in TRL's formats: messages, prompt/completion, or text", Required = true, HelpName = "FILE" };
        var packing = new Option<bool>("--packing") { Description = "Pack examples into full sequences (positions and attention reset per example)" };
        var loraFlags = new LoraFlags();
        var quant = new QuantFlags();
        var cmd = new Command("sft", "Supervised fine-tuning with loss on assistant/completion tokens only")
        {
            model, tokenizer, data, packing,
        };
        quant.AddTo(cmd);
        loraFlags.AddTo(cmd);
        flags.AddTo(cmd);
        cmd.SetAction((p, ct) =>
        {
            var options = flags.Read(p);
            var nf4 = quant.Read(p);
            if (nf4 is not null && p.GetValue(loraFlags.Rank) <= 0)
            {
                throw new UsageException("--load-in-4bit freezes the base in NF4 (QLoRA), so only an adapter can train: add --lora-r R");
            }
            var baseDir = p.GetValue(model)!;
            var tok = ByteLevelBpeTokenizer.Load(p.GetValue(tokenizer) ?? Path.Combine(baseDir, "tokenizer.json"));
            var m = LlamaCheckpoint.Load(baseDir);
            if (nf4 is not null)
            {
                QuantFlags.Quantize(m, nf4);
            }
            var seqLen = p.GetValue(flags.SeqLen);
            var examples = SftDataset.LoadJsonl(p.GetValue(data)!, tok, new SftDataOptions { MaxLength = seqLen });
            var (trainEx, evalEx) = TrainValidationSplit.Split(examples, p.GetValue(flags.EvalFraction), options.Seed);
            var pad = tok.TokenToId("<|endoftext|>") ?? 0;
            var train = SftRows.Build(trainEx, seqLen, pad, p.GetValue(packing));
            var eval = evalEx.Count == 0 ? [] : SftRows.Build(evalEx, seqLen, pad, p.GetValue(packing));
            var adapter = loraFlags.Apply(p, m, options.Seed);
            Console.Error.WriteLine($"sft: {examples.Count} examples → {train.Count} rows of {seqLen} ({(p.GetValue(packing) ? "packed" : "padded")}), " +
                $"{eval.Count} eval rows; training {m.TrainableParameters.Sum(x => (long)x.Value.Length):N0} parameters");
            var outDir = p.GetValue(flags.Output)!;
            var result = flags.Run(p, Trainer(m, options, train, eval, outDir), outDir, ct);
            LoraFlags.SaveTrained(adapter, m, baseDir, tok, outDir, result.Steps);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static CausalLmTrainer Trainer(LlamaModel model, TrainingOptions options, IReadOnlyList<TrainingRow> train, IReadOnlyList<TrainingRow> eval, string outDir)
    {
        var printer = new TrainingProgressPrinter();
        return new CausalLmTrainer(model, options, train, eval)
        {
            OutputDir = outDir, OnProgress = printer.Progress, OnLog = TrainingProgressPrinter.Log,
        };
    }

    private static LlamaConfig ReadConfig(string path, int tokenizerVocab)
    {
        var config = LlamaConfigJson.Load(path, defaultVocabSize: tokenizerVocab);
        if (config.VocabSize < tokenizerVocab)
        {
            throw new UsageException($"{path}: vocab_size {config.VocabSize} is smaller than the tokenizer's {tokenizerVocab}");
        }
        return config;
    }
}
