using Microsoft.Extensions.Options;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// Whether the settings make a working pipeline: what the profile requires, and each adapter's own
/// <c>Validate()</c>, every problem at once with its key, where its value came from, and how to set it.
/// Registered by <see cref="PipelineSettingsServiceCollectionExtensions.AddPipelineSettings"/> for
/// <c>ValidateOnStart</c>; the CLI calls <see cref="Problems"/> through <see cref="PipelineConfiguration.Load"/>.
/// </summary>
public sealed class PipelineSettingsValidator(PipelineComponents components = PipelineComponents.All) : IValidateOptions<PipelineSettings>
{
    public ValidateOptionsResult Validate(string? name, PipelineSettings options)
    {
        var problems = Problems(options, components, _ => null);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => p.ToString()));
    }

    public static List<ConfigurationProblem> Problems(PipelineSettings s, PipelineComponents components, Func<string, string?> originOf)
    {
        var problems = new List<ConfigurationProblem>();
        void Add(string key, string message)
        {
            var full = PipelineSettings.Section + ":" + key;
            var hint = SettingsSchema.IsSection(full)
                ? $"set {full}:* in appsettings.json, as {SettingsSchema.EnvironmentVariableFor(full)}__KEY, or with --set {key}:Key=…"
                : $"set it in appsettings.json, as {SettingsSchema.EnvironmentVariableFor(full)}, or with --set {key}=…";
            problems.Add(new ConfigurationProblem(full, $"{message.TrimEnd('.')} ({hint})", originOf(full)));
        }
        void Check(string section, Action validate)
        {
            try
            {
                validate();
            }
            catch (ArgumentException e)
            {
                Add(section, e.Message);
            }
        }
        var server = s.Profile == PipelineProfile.Server;

        if (string.IsNullOrWhiteSpace(s.DataDir)) Add("DataDir", "is empty; give a folder, e.g. .pipeline");
        if (components.HasFlag(PipelineComponents.Store))
        {
            if (string.IsNullOrWhiteSpace(s.Store))
                Add("Store", "is not set; the server profile needs PostgreSQL, e.g. postgres://pipeline:PASSWORD@postgres:5432/pipeline");
            else if (server && !IsPostgres(s.Store))
                Add("Store", $"is '{Redact(s.Store)}', but the server profile needs PostgreSQL (postgres://user:pass@host:port/db or Host=…;…): many workers share it");
        }
        if (components.HasFlag(PipelineComponents.Artifacts))
        {
            if (s.Artifacts.Store == ArtifactStoreKind.Local && string.IsNullOrWhiteSpace(s.Artifacts.Root))
                Add("Artifacts:Root", "is empty; the local artifact store needs a folder");
            if (s.Artifacts.Store == ArtifactStoreKind.S3)
                Check("S3", s.S3.Validate);
        }
        if (components.HasFlag(PipelineComponents.Tracking))
        {
            if (string.IsNullOrWhiteSpace(s.Tracking.Experiment)) Add("Tracking:Experiment", "is empty; name the experiment runs are filed under");
            if (s.Tracking.Store == TrackingStoreKind.Mlflow)
            {
                if (s.Mlflow?.TrackingUri is null)
                    Add("Mlflow:TrackingUri", $"is not set; Tracking:Store is Mlflow{(server ? " (the server profile's default)" : "")}, so MLflow's address is needed, e.g. http://mlflow:5000/");
                else
                    Check("Mlflow", s.Mlflow.Validate);
            }
        }
        if (components.HasFlag(PipelineComponents.Bus)) Check("Bus", s.Bus.Validate);
        if (components.HasFlag(PipelineComponents.Logging)) Check("Logging", s.Logging.Validate);
        if (components.HasFlag(PipelineComponents.Recipe))
        {
            if (string.IsNullOrWhiteSpace(s.Recipe.ModelName)) Add("Recipe:ModelName", "is empty; name the registered model the recipe improves, e.g. arith-demo");
            if (string.IsNullOrWhiteSpace(s.Recipe.BaseModel)) Add("Recipe:BaseModel", "is empty; give the base model as NAME@ALIAS or NAME/VERSION, e.g. arith-demo-base@pretrained");
            if (string.IsNullOrWhiteSpace(s.Recipe.WorkflowQueue)) Add("Recipe:WorkflowQueue", "is empty; name a task queue, e.g. default");
            if (s.Recipe.File is { Length: > 0 } file && !System.IO.File.Exists(file)) Add("Recipe:File", $"is '{file}', which does not exist; give a recipe JSON file or leave it empty for the defaults");
            if (s.Serving.Port is < 0 or > 65535) Add("Serving:Port", $"is {s.Serving.Port}; give a port in 0..65535 (0: any free one)");
            if (s.Ui.Port is < 0 or > 65535) Add("Ui:Port", $"is {s.Ui.Port}; give a port in 0..65535 (0: any free one)");
            if (s.Serving.Url is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _)) Add("Serving:Url", $"is '{url}', not an absolute URL; e.g. http://pipeline-server:8088/");
            if (s.Serving.DefaultMaxTokens < 1) Add("Serving:DefaultMaxTokens", $"is {s.Serving.DefaultMaxTokens}; give at least 1");
        }
        return problems;
    }

    /// <summary>True for the PostgreSQL forms the workflow store accepts.</summary>
    public static bool IsPostgres(string store) =>
        store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || store.Contains("Host=", StringComparison.OrdinalIgnoreCase);

    /// <summary>A store URI or connection string with its password replaced by ***.</summary>
    public static string Redact(string store)
    {
        if (Uri.TryCreate(store, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
            return store.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(store, "(?i)(password|pwd)=[^;]*", "$1=***");
    }
}
