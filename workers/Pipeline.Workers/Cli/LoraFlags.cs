using System.CommandLine;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.Workers.Cli;

/// <summary>The LoRA flags the fine-tuning commands share (PEFT's LoraConfig names). <paramref name="defaultDropout"/>:
/// GRPO passes 0, as it runs without dropout (TRL's disable_dropout).</summary>
public sealed class LoraFlags(double defaultDropout = 0.05)
{
    public Option<int> Rank { get; } = new("--lora-r") { Description = "Train a LoRA adapter of this rank instead of all weights (0: full fine-tune)", DefaultValueFactory = _ => 0 };
    public Option<double> Alpha { get; } = new("--lora-alpha") { Description = "LoRA alpha (scale alpha/r)", DefaultValueFactory = _ => 16 };
    public Option<double> Dropout { get; } = new("--lora-dropout") { Description = "Dropout on the adapter input", DefaultValueFactory = _ => defaultDropout };
    public Option<string> Targets { get; } = new("--lora-targets") { Description = "Comma-separated projections, or all-linear", DefaultValueFactory = _ => "all-linear" };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Rank, Alpha, Dropout, Targets }) cmd.Options.Add(o);
    }

    /// <summary>With --lora-r &gt; 0: a fresh adapter "default", active and trainable over a frozen base; otherwise
    /// every base weight trainable. Returns the adapter, or null for a full fine-tune.</summary>
    public LoraAdapter? Apply(ParseResult p, LlamaModel model, ulong seed)
    {
        if (p.GetValue(Rank) <= 0)
        {
            model.SetBaseTrainable(true);
            return null;
        }
        var lora = new LoraConfig
        {
            R = p.GetValue(Rank), Alpha = p.GetValue(Alpha), Dropout = p.GetValue(Dropout), Targets = ParseTargets(p.GetValue(Targets)!),
        };
        try { lora.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        var adapter = LoraAdapter.Create("default", lora, model.Config, seed);
        model.AddAdapter(adapter);
        model.SetActiveAdapter("default");
        adapter.SetTrainable(true);
        return adapter;
    }

    private static LoraTarget ParseTargets(string targets)
    {
        try { return LoraTargets.Parse(targets.Split(',', StringSplitOptions.RemoveEmptyEntries)); }
        catch (ArgumentException e) { throw new UsageException($"--lora-targets: {e.Message}"); }
    }

    /// <summary>What a fine-tuning run produced, in <paramref name="outDir"/>: the adapter <see cref="Apply"/> returned
    /// (PEFT, pointing at <paramref name="baseDir"/>) or the whole model, and the tokenizer beside it.</summary>
    public static void SaveTrained(LoraAdapter? adapter, LlamaModel model, string baseDir, ByteLevelBpeTokenizer tokenizer, string outDir, long steps)
    {
        if (adapter is not null) PeftAdapterFormat.Save(adapter, outDir, Path.GetFullPath(baseDir));
        else LlamaCheckpoint.Save(model, outDir);
        tokenizer.Save(Path.Combine(outDir, "tokenizer.json"));
        Console.Error.WriteLine($"wrote {outDir} after {steps} steps");
    }
}
