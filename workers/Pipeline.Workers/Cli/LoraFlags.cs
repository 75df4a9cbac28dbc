using System.CommandLine;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;

namespace Pipeline.Workers.Cli;

/// <summary>The LoRA flags of a fine-tuning command (as `ml train sft`'s): rank 0 trains all weights instead.</summary>
public sealed class LoraFlags
{
    private readonly Option<int> _r = new("--lora-r") { Description = "Train a LoRA adapter of this rank instead of all weights (0: full fine-tune)", DefaultValueFactory = _ => 0 };
    private readonly Option<double> _alpha = new("--lora-alpha") { Description = "LoRA alpha (scale alpha/r)", DefaultValueFactory = _ => 16 };
    private readonly Option<double> _dropout = new("--lora-dropout") { Description = "Dropout on the adapter input (GRPO runs without dropout)", DefaultValueFactory = _ => 0.0 };
    private readonly Option<string> _targets = new("--lora-targets") { Description = "Comma-separated projections, or all-linear", DefaultValueFactory = _ => "all-linear" };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { _r, _alpha, _dropout, _targets }) cmd.Options.Add(o);
    }

    /// <summary>Adds and activates a trainable adapter "default" when --lora-r &gt; 0 (returned), else marks all weights trainable (null).</summary>
    public LoraAdapter? Apply(LlamaModel model, ulong seed, ParseResult p)
    {
        if (p.GetValue(_r) <= 0)
        {
            model.SetBaseTrainable(true);
            return null;
        }
        LoraTarget targets;
        try { targets = LoraTargets.Parse(p.GetValue(_targets)!.Split(',', StringSplitOptions.RemoveEmptyEntries)); }
        catch (ArgumentException e) { throw new UsageException($"--lora-targets: {e.Message}"); }
        var config = new LoraConfig { R = p.GetValue(_r), Alpha = p.GetValue(_alpha), Dropout = p.GetValue(_dropout), Targets = targets };
        try { config.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        var adapter = LoraAdapter.Create("default", config, model.Config, seed);
        model.AddAdapter(adapter);
        model.SetActiveAdapter("default");
        adapter.SetTrainable(true);
        return adapter;
    }
}
