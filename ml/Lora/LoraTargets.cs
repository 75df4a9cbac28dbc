namespace Pipeline.ML.Lora;

/// <summary>Maps <see cref="LoraTarget"/> flags to and from PEFT module names (q_proj, …, down_proj).</summary>
public static class LoraTargets
{
    public static readonly (LoraTarget Target, string Module)[] Modules =
    [
        (LoraTarget.QProj, "q_proj"), (LoraTarget.KProj, "k_proj"), (LoraTarget.VProj, "v_proj"), (LoraTarget.OProj, "o_proj"),
        (LoraTarget.GateProj, "gate_proj"), (LoraTarget.UpProj, "up_proj"), (LoraTarget.DownProj, "down_proj"),
    ];

    public static string ModuleName(LoraTarget single) =>
        Modules.First(m => m.Target == single).Module;

    public static IEnumerable<string> ModuleNames(LoraTarget targets) =>
        Modules.Where(m => targets.HasFlag(m.Target)).Select(m => m.Module);

    /// <summary>Parses module names ("q_proj", "v_proj", …, or "all-linear"); an unknown name is an ArgumentException listing the valid ones.</summary>
    public static LoraTarget Parse(IEnumerable<string> names)
    {
        var result = LoraTarget.None;
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (name == "all-linear")
            {
                result |= LoraTarget.All;
                continue;
            }
            var match = Modules.Where(m => m.Module == name).Select(m => m.Target).FirstOrDefault();
            if (match == LoraTarget.None)
            {
                throw new ArgumentException(
                    $"unknown LoRA target module '{name}'; expected some of {string.Join(", ", Modules.Select(m => m.Module))} or all-linear");
            }
            result |= match;
        }
        return result;
    }
}
