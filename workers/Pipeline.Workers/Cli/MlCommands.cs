using System.CommandLine;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline ml …`: the training engine's verbs — and the hooks for checking it against other tools.</summary>
public static class MlCommands
{
    public static Command Create()
    {
        var ml = new Command("ml", "The training engine: gradients for cross-checking, training, generation, preference collection, tokenizers");
        ml.Subcommands.Add(Grads());
        ml.Subcommands.Add(MlTrainCommands.Create());
        ml.Subcommands.Add(MlGenerateCommand.Create());
        ml.Subcommands.Add(MlMergeCommand.Create());
        ml.Subcommands.Add(MlCollectPreferencesCommand.Create());
        ml.Subcommands.Add(MlTokenizerCommands.Create());
        return ml;
    }

    private static Command Grads()
    {
        var model = new Option<string>("--model") { Description = "HF-layout model directory (config.json + model.safetensors)", Required = true, HelpName = "DIR" };
        var adapter = new Option<string?>("--adapter") { Description = "PEFT LoRA adapter directory; only its weights get gradients", HelpName = "DIR" };
        var batch = new Option<string>("--batch") { Description = "JSON with input_ids, labels (-100 ignored) and optional position_ids", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "safetensors file to write logits, loss and grad/NAME to", Required = true, HelpName = "FILE" };
        var cmd = new Command("grads", "One forward/backward pass: write logits, loss and every trainable parameter's gradient")
        {
            model, adapter, batch, output,
        };
        cmd.SetAction(p =>
        {
            var m = LlamaCheckpoint.Load(p.GetValue(model)!);
            if (p.GetValue(adapter) is { } dir)
            {
                m.AddAdapter(PeftAdapterFormat.Load(dir, "default", m.Config));
                m.SetActiveAdapter("default");
            }
            var b = TokenBatchJson.Load(p.GetValue(batch)!);
            GradientReport.Compute(m, b).WriteToFile(p.GetValue(output)!);
            Console.Error.WriteLine($"wrote {p.GetValue(output)} ({m.TrainableParameters.Count()} gradients)");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
