namespace Pipeline.Workers.Bench;

/// <summary>What a training benchmark trains: every base weight, or LoRA r=8 α=16 on all seven projections.</summary>
public enum TrainBenchMode
{
    Full,
    Lora,
}
