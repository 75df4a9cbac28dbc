namespace Pipeline.Serving.Models;

/// <summary>A model ready to generate: which loaded base (by base digest hex) and which adapter on it (null: the bare base).</summary>
public sealed record ServedModel(string BaseKey, string? AdapterName);
