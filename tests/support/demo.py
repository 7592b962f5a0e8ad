"""Devnet's demo dataset (seeds/devnet/demo.yaml) as the tests expect to find it."""

from __future__ import annotations

DEMO_TABLES = (
    "LegalTenderStatus",
    "LicensedPartner",
    "Application",
    "License",
    "Credential",
    "UserProfile",
    "KYCVerification",
    "Wallet",
    "Transaction",
)
DEMO_COUNTS = {  # from seeds/devnet/demo.yaml
    "LegalTenderStatus": 4,
    "LicensedPartner": 1,
    "Application": 1,
    "License": 1,
    "Credential": 1,
    "UserProfile": 5,
    "KYCVerification": 5,
    "Wallet": 5,
    "Transaction": 20,
}
