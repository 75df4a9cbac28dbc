namespace Pipeline.Infra.Configuration;

/// <summary>One leaf setting: its full key (<c>Pipeline:S3:Bucket</c>), its type, and whether it is a secret
/// (never printed). A dictionary property (<c>Logging:Overrides</c>) is one descriptor whose children are free.</summary>
public sealed record SettingDescriptor(string Key, Type Type, bool IsSecret, bool IsMap)
{
    /// <summary>The environment variable that sets this key: <c>PIPELINE__S3__BUCKET</c>.</summary>
    public string EnvironmentVariable => SettingsSchema.EnvironmentVariableFor(Key);

    /// <summary>What a value must look like, for error messages: "a whole number", "one of: Local, S3", …</summary>
    public string Expected => SettingsSchema.Describe(IsMap ? typeof(string) : Type);
}
