using Pipeline.Tests.Shared;

namespace Pipeline.Workers.Tests.Recipe;

/// <summary>A recipe JSON file that runs every stage in seconds on a tiny model, with gates every measured model passes
/// (the Workflows tests' plumbing policies, given by path): it exercises the wiring, not the learning.</summary>
internal static class TinyRecipeFile
{
    public static string Write(string dir)
    {
        var policies = RepoRoot.Combine("tests", "Shared", "fixtures", "policies");
        var gate = Path.Combine(policies, "test-plumbing.yaml").Replace("\\", "\\\\", StringComparison.Ordinal);
        var baseGate = Path.Combine(policies, "test-plumbing-base.yaml").Replace("\\", "\\\\", StringComparison.Ordinal);
        var path = Path.Combine(dir, "tiny-recipe.json");
        File.WriteAllText(path, $$"""
            {
              // comments are allowed in a recipe file
              "pretrain": { "hiddenSize": 32, "layers": 1, "heads": 2, "intermediateSize": 64, "maxSteps": 6, "warmupSteps": 1,
                            "batchSize": 4, "seqLen": 32, "saveSteps": 3, "gate": "{{baseGate}}" },
              "sft": { "loraR": 4, "loraAlpha": 8, "maxSteps": 4, "warmupSteps": 1, "batchSize": 4, "saveSteps": 2 },
              "preference": { "loraR": 4, "loraAlpha": 8, "maxSteps": 2, "batchSize": 2, "numGenerations": 2, "maxCompletionLength": 8, "saveSteps": 1 },
              "eval": { "limit": 4, "bootstrapSamples": 50, "sftGate": "{{gate}}", "sftGateVsChampion": "{{gate}}",
                        "preferenceGate": "{{gate}}", "deployGate": "{{gate}}" },
              "rollout": { "challengerShare": 0.5, "minFeedbackPerVariant": 5, "checkInterval": "00:00:02", "maxDuration": "00:02:00",
                           "simulatedRequests": 16, "simulatedUsers": 8 }
            }
            """);
        return path;
    }
}
