"""The billing_alarm lab."""
