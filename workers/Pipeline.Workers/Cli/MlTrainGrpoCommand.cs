using System.CommandLine;
using System.Globalization;
using Pipeline.Eval.Domain;
using Pipeline.ML.Data;
using Pipeline.ML.Losses;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tokenization;
using Pipeline.ML.Training;

namespace Pipeline.Workers.Cli;

/// <summary>
/// `pipeline ml train grpo`: GRPO (full weights or LoRA) on a prompt JSONL, scored by named reward functions.
/// Flags follow TRL's GRPOConfig; --batch-size counts completions, as TRL's per_device_train_batch_size.
/// </summary>
public static class MlTrainGrpoCommand
{
    /// <summary>The reward functions the CLI knows by name; NAME[:ARG] passes ARG (e.g. the answer column).</summary>
    private static readonly Dictionary<string, Func<string?, IRewardFunction>> Rewards = new(StringComparer.Ordinal)
    {
        ["last_integer"] = column => new LastIntegerReward(column ?? "answer"),
        ["reward_model"] = dir => RewardModelDir.Load(dir ?? "", $"--reward reward_model:{dir}").Reward,
        ["demo"] = _ => new DemoVerifier(),
    };

    public static Command Create()
    {
        var flags = new TrainFlags(sequences: false);
        var model = new Option<string>("--model") { Description = "Policy to start from: model directory (HF layout)", Required = true, HelpName = "DIR" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the model directory's)", HelpName = "FILE" };
        var prompts = new Option<string>("--prompts") { Description = "Prompt JSONL in TRL's format; other fields are reward columns", Required = true, HelpName = "FILE" };
        var evalPrompts = new Option<string?>("--eval-prompts") { Description = "Held-out prompt JSONL for eval_reward", HelpName = "FILE" };
        var reward = new Option<string[]>("--reward")
        {
            Description = $"Reward function NAME[:ARG], repeatable (known: {string.Join(", ", Rewards.Keys)}; last_integer:COLUMN, reward_model:DIR, demo: the demo domain's verifier)",
            Required = true, AllowMultipleArgumentsPerToken = false,
        };
        var weights = new Option<string?>("--reward-weights") { Description = "Comma-separated weight per --reward (default: 1 each)", HelpName = "W,W" };
        var generations = new Option<int>("--num-generations") { Description = "Completions per prompt (G)", DefaultValueFactory = _ => 8 };
        var maxCompletion = new Option<int>("--max-completion-length") { Description = "Most tokens per completion", DefaultValueFactory = _ => 256 };
        var temperature = new Option<double>("--temperature") { Description = "Rollout sampling temperature", DefaultValueFactory = _ => 1.0 };
        var topP = new Option<double>("--top-p") { DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { DefaultValueFactory = _ => 0 };
        var beta = new Option<double>("--beta") { Description = "KL coefficient (0: no reference model)", DefaultValueFactory = _ => 0.0 };
        var epsilon = new Option<double>("--epsilon") { Description = "Clip range: ρ in [1 − ε, 1 + ε_high]", DefaultValueFactory = _ => 0.2 };
        var epsilonHigh = new Option<double?>("--epsilon-high") { Description = "Upper clip ε_high (default: --epsilon; DAPO uses 0.28)" };
        var iterations = new Option<int>("--num-iterations") { Description = "Updates per generation batch (μ)", DefaultValueFactory = _ => 1 };
        var lossType = new Option<string>("--loss-type") { Description = "grpo, bnpo or dr_grpo", DefaultValueFactory = _ => "grpo" };
        var scale = new Option<string>("--scale-rewards") { Description = "group, batch or none", DefaultValueFactory = _ => "group" };
        var maskTruncated = new Option<bool>("--mask-truncated-completions") { Description = "Leave completions cut at the length limit out of the loss" };
        var evalTemperature = new Option<double>("--eval-temperature") { Description = "Eval sampling temperature (0: greedy)", DefaultValueFactory = _ => 0.0 };
        var lora = new LoraFlags(defaultDropout: 0.0);
        var cmd = new Command("grpo", "Group Relative Policy Optimization with verifiable rewards")
        {
            model, tokenizer, prompts, evalPrompts, reward, weights, generations, maxCompletion, temperature, topP, topK, beta, epsilon,
            epsilonHigh, iterations, lossType, scale, maskTruncated, evalTemperature,
        };
        lora.AddTo(cmd);
        flags.AddTo(cmd);
        cmd.SetAction((p, ct) =>
        {
            var training = flags.Read(p);
            var functions = (p.GetValue(reward) ?? []).Select(ParseReward).ToList();
            var options = new GrpoOptions
            {
                Training = training, NumGenerations = p.GetValue(generations), MaxCompletionLength = p.GetValue(maxCompletion),
                Temperature = p.GetValue(temperature), TopP = p.GetValue(topP), TopK = p.GetValue(topK), Beta = p.GetValue(beta),
                Epsilon = p.GetValue(epsilon), EpsilonHigh = p.GetValue(epsilonHigh), NumIterations = p.GetValue(iterations),
                LossType = p.GetValue(lossType) switch
                {
                    "grpo" => GrpoLossType.Grpo,
                    "bnpo" => GrpoLossType.Bnpo,
                    "dr_grpo" => GrpoLossType.DrGrpo,
                    var s => throw new UsageException($"--loss-type must be grpo, bnpo or dr_grpo, got '{s}'"),
                },
                ScaleRewards = p.GetValue(scale) switch
                {
                    "group" => GrpoRewardScaling.Group,
                    "batch" => GrpoRewardScaling.Batch,
                    "none" => GrpoRewardScaling.None,
                    var s => throw new UsageException($"--scale-rewards must be group, batch or none, got '{s}'"),
                },
                RewardWeights = p.GetValue(weights) is { } w ? ParseWeights(w) : null,
                MaskTruncatedCompletions = p.GetValue(maskTruncated), EvalTemperature = p.GetValue(evalTemperature),
            };
            var baseDir = p.GetValue(model)!;
            var tok = ByteLevelBpeTokenizer.Load(p.GetValue(tokenizer) ?? Path.Combine(baseDir, "tokenizer.json"));
            options = options with { StopTokenIds = ChatTemplate.StopTokenIds(tok) };
            var m = LlamaCheckpoint.Load(baseDir);
            var train = PromptDataset.LoadJsonl(p.GetValue(prompts)!, tok);
            var eval = p.GetValue(evalPrompts) is { } e ? PromptDataset.LoadJsonl(e, tok) : [];
            var adapter = lora.Apply(p, m, training.Seed);
            Console.Error.WriteLine($"grpo: {train.Count} prompts × {options.NumGenerations} completions, {options.PromptsPerStep} prompts a step, " +
                $"rewards {string.Join(", ", functions.Select(f => f.Name))}; training {m.TrainableParameters.Sum(x => (long)x.Value.Length):N0} parameters");
            GrpoTrainer trainer;
            try
            {
                var printer = new TrainingProgressPrinter();
                trainer = new GrpoTrainer(m, tok, options, train, functions, eval)
                {
                    OutputDir = p.GetValue(flags.Output)!, OnProgress = printer.Progress, OnLog = TrainingProgressPrinter.Log,
                };
            }
            catch (ArgumentException ex)
            {
                throw new UsageException(ex.Message);
            }
            var outDir = p.GetValue(flags.Output)!;
            var result = flags.Run(p, trainer, outDir, ct);
            LoraFlags.SaveTrained(adapter, m, baseDir, tok, outDir, result.Steps);
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary>`--reward NAME[:ARG]` → the reward function; an unknown name is a usage error listing the known ones.</summary>
    public static IRewardFunction ParseReward(string spec)
    {
        var (name, arg) = spec.IndexOf(':') is var i and >= 0 ? (spec[..i], spec[(i + 1)..]) : (spec, null);
        return Rewards.TryGetValue(name, out var create)
            ? create(string.IsNullOrEmpty(arg) ? null : arg)
            : throw new UsageException($"--reward '{name}' is not a known reward function (known: {string.Join(", ", Rewards.Keys)})");
    }

    private static double[] ParseWeights(string text) =>
        [.. text.Split(',').Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            ? v : throw new UsageException($"--reward-weights: '{s}' is not a number"))];
}
