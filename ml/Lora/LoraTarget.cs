namespace Pipeline.ML.Lora;

/// <summary>The projections of a LLaMA layer LoRA can adapt; names as PEFT's target_modules.</summary>
[Flags]
public enum LoraTarget
{
    None = 0,
    QProj = 1,
    KProj = 2,
    VProj = 4,
    OProj = 8,
    GateProj = 16,
    UpProj = 32,
    DownProj = 64,
    Attention = QProj | KProj | VProj | OProj,
    All = Attention | GateProj | UpProj | DownProj,
}
