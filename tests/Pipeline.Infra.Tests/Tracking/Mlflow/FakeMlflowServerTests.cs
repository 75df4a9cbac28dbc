using System.Text;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

/// <summary>The contract checker itself: a test double that accepts anything would prove nothing.</summary>
public sealed class FakeMlflowServerTests : IDisposable
{
    private readonly FakeMlflowServer _server = new();
    private readonly HttpClient _http = new();

    [Theory]
    [InlineData("""{"experiment_id":"1","start_time":"1700000000000"}""", "start_time")]
    [InlineData("""{"run_name":"r"}""", "experiment_id")]
    [InlineData("""{"experiment_id":"1","tags":[{"key":"a","val":"b"}]}""", "tags")]
    [InlineData("""{"experiment_id":"1","startTime":1}""", "startTime")]
    public async Task RunsCreate_OffContractBody_IsFlaggedAsViolation_Contract(string body, string field)
    {
        var response = await _http.PostAsync(
            new Uri(_server.Uri, "api/2.0/mlflow/runs/create"), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains(_server.Violations, v => v.Contains($"'{field}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogBatch_MetricWithoutTimestamp_IsFlaggedAsViolation_Contract()
    {
        var body = """{"run_id":"x","metrics":[{"key":"loss","value":1.5,"step":0}]}""";
        await _http.PostAsync(new Uri(_server.Uri, "api/2.0/mlflow/runs/log-batch"), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Contains(_server.Violations, v => v.Contains("'metrics'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_UnknownEndpoint_IsFlaggedAsViolation_Contract()
    {
        await _http.GetAsync(new Uri(_server.Uri, "api/2.0/mlflow/runs/search?x=1"));
        Assert.Contains(_server.Violations, v => v.Contains("runs/search", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }
}
