namespace Platform.Bench;

/// <summary>Interpolated percentiles of one run's samples, and the median of runs.</summary>
public static class Stats
{
    public static double Median(List<double> values) => Percentile(values, 0.5);

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
