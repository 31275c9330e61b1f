"""EduBridge: an open node for international cooperation in AI-powered education."""

__version__ = "0.1.0"
