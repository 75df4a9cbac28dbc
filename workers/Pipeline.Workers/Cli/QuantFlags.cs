using System.CommandLine;
using Pipeline.ML.Models;
using Pipeline.ML.Quantization;

namespace Pipeline.Workers.Cli;

/// <summary>QLoRA's base storage flags, named as transformers' BitsAndBytesConfig (load_in_4bit, bnb_4bit_*):
/// `ml train sft` and `ml generate` take them.</summary>
public sealed class QuantFlags
{
    private readonly Option<bool> _loadIn4Bit = new("--load-in-4bit")
    {
        Description = "Store the base's projections in 4-bit NormalFloat (QLoRA; sft needs --lora-r)",
    };

    private readonly Option<bool> _doubleQuant = new("--bnb-4bit-use-double-quant")
    {
        Description = "Quantize the NF4 block scales again to 8 bits (with --load-in-4bit)", DefaultValueFactory = _ => true,
    };

    private readonly Option<int> _blockSize = new("--bnb-4bit-blocksize")
    {
        Description = "Values per NF4 absmax block (with --load-in-4bit)", DefaultValueFactory = _ => 64,
    };

    public void AddTo(Command cmd)
    {
        cmd.Options.Add(_loadIn4Bit);
        cmd.Options.Add(_doubleQuant);
        cmd.Options.Add(_blockSize);
    }

    /// <summary>The NF4 options asked for, or null without --load-in-4bit.</summary>
    public Nf4Options? Read(ParseResult p)
    {
        if (!p.GetValue(_loadIn4Bit))
        {
            return null;
        }
        var options = new Nf4Options { DoubleQuant = p.GetValue(_doubleQuant), BlockSize = p.GetValue(_blockSize) };
        try { options.Validate(); }
        catch (ArgumentException e) { throw new UsageException(e.Message); }
        return options;
    }

    public static void Quantize(LlamaModel model, Nf4Options options)
    {
        model.QuantizeBase(options);
        var projections = model.QuantizedProjections.Select(p => p.Quantized!).ToList();
        long values = projections.Sum(t => (long)t.Length), bytes = projections.Sum(t => t.StorageBytes);
        Console.Error.WriteLine($"load_in_4bit: {projections.Count} projections ({values:N0} weights) in NF4, " +
            $"{bytes / 1048576.0:F2} MiB instead of {4.0 * values / 1048576:F2} MiB ({8.0 * bytes / values:F3} bits per parameter)");
    }
}
