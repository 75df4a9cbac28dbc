namespace Pipeline.Infra.Models;

/// <summary>
/// What a registered model version is: a base model directory artifact (HF layout: config.json, model.safetensors,
/// tokenizer.json) plus, optionally, a PEFT LoRA adapter directory artifact trained over it. Stored as a small JSON
/// artifact of kind <see cref="ModelPackages.Kind"/>; its digest is the registry version's Source.
/// </summary>
public sealed record ModelPackage(string BaseDigest, string? AdapterDigest, string Format = "pipeline-model-package/v1")
{
    public const string CurrentFormat = "pipeline-model-package/v1";
}
