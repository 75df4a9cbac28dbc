using System.CommandLine;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline ml merge`: fold a LoRA adapter into its base (W += (α/r)·B·A, PEFT's merge_and_unload) and save
/// a standalone model — what a later stage that trains all weights, or a second adapter, starts from.</summary>
public static class MlMergeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Base model directory (HF layout)", Required = true, HelpName = "DIR" };
        var adapter = new Option<string>("--adapter") { Description = "PEFT LoRA adapter directory", Required = true, HelpName = "DIR" };
        var output = new Option<string>("--out") { Description = "Directory for the merged model (config.json, model.safetensors, tokenizer.json)", Required = true, HelpName = "DIR" };
        var cmd = new Command("merge", "Merge a LoRA adapter into its base model and save the result") { model, adapter, output };
        cmd.SetAction(p =>
        {
            var (baseDir, adapterDir, outDir) = (p.GetValue(model)!, p.GetValue(adapter)!, p.GetValue(output)!);
            var tokenizerPath = new[] { adapterDir, baseDir }.Select(d => Path.Combine(d, "tokenizer.json")).FirstOrDefault(File.Exists)
                ?? throw new UsageException($"no tokenizer.json in {adapterDir} or {baseDir}");
            var m = LlamaCheckpoint.Load(baseDir);
            m.AddAdapter(PeftAdapterFormat.Load(adapterDir, "merged", m.Config));
            m.SetActiveAdapter("merged");
            m.MergeAdapter();
            LlamaCheckpoint.SaveMerged(m, outDir);
            ByteLevelBpeTokenizer.Load(tokenizerPath).Save(Path.Combine(outDir, "tokenizer.json"));
            Console.Error.WriteLine($"wrote {outDir}: {baseDir} + {adapterDir} merged ({ModelHash.Compute(outDir)})");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
