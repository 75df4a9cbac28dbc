using Pipeline.ML.Models;

namespace Pipeline.ML.Lora;

/// <summary>
/// One projection's low-rank update ΔW = (α/r)·B·A. A: (r, In); B: (Out, r), named with PEFT's keys
/// (…q_proj.lora_A.weight / lora_B.weight).
/// </summary>
public sealed class LoraWeights
{
    public LoraWeights(Parameter a, Parameter b, float scale, float dropout)
    {
        A = a;
        B = b;
        Scale = scale;
        Dropout = dropout;
    }

    public Parameter A { get; }

    public Parameter B { get; }

    public float Scale { get; }

    public float Dropout { get; }

    public int Rank => A.Value.Dim(0);
}
