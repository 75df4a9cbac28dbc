namespace Pipeline.ML.Lora;

/// <summary>LoRA hyperparameters (Hu et al. 2021, https://arxiv.org/abs/2106.09685), named as PEFT's LoraConfig.</summary>
public sealed record LoraConfig
{
    /// <summary>Rank r of the update B·A. PEFT: r. Default 8.</summary>
    public int R { get; init; } = 8;

    /// <summary>Scaling numerator: the update is scaled by α/r. PEFT: lora_alpha. Default 16.</summary>
    public double Alpha { get; init; } = 16;

    /// <summary>Dropout probability on the adapter's input (training only). PEFT: lora_dropout. Default 0.</summary>
    public double Dropout { get; init; }

    /// <summary>Which projections get an adapter. PEFT: target_modules. Default q_proj and v_proj (PEFT's LLaMA default).</summary>
    public LoraTarget Targets { get; init; } = LoraTarget.QProj | LoraTarget.VProj;

    public float Scale => (float)(Alpha / R);

    public void Validate()
    {
        if (R <= 0)
        {
            throw new ArgumentException($"lora r must be a positive integer, got {R}");
        }
        if (!(Alpha > 0))
        {
            throw new ArgumentException($"lora_alpha must be > 0, got {Alpha}");
        }
        if (!(Dropout >= 0 && Dropout < 1))
        {
            throw new ArgumentException($"lora_dropout must be in [0, 1), got {Dropout}");
        }
        if (Targets == LoraTarget.None)
        {
            throw new ArgumentException("target_modules must name at least one of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
        }
    }
}
