namespace Pipeline.Eval.Domain;

/// <summary>One file of a generated dataset, its bytes in memory until written.</summary>
internal sealed record GeneratedFile(string Path, DatasetFileRole Role, DatasetFileFormat Format, byte[] Content)
{
    public ManifestFile Describe() => ManifestFile.Describe(Path, Role, Format, Content);
}
