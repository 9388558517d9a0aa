"""Study tools: diagrams, explanations, cost summary and stage comparison, generated from the synthesized templates."""
