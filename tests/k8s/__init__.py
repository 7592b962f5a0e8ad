"""The image and the Kubernetes Jobs: checked without a cluster, then run for real."""
