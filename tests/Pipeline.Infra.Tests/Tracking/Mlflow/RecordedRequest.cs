using System.Collections.Specialized;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

/// <summary>One request as the fake MLflow server received it (endpoint relative to /api/2.0/mlflow/).</summary>
internal sealed record RecordedRequest(string Method, string Endpoint, JsonObject? Body, NameValueCollection Query, string? Authorization);
