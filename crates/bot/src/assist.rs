//! What the bot may use beyond the booking service: the knowledge base
//! (questions about the venue answered from its own documents) and the
//! LLM agent. Both are optional: with neither, the built-in engine answers
//! everything as before.

/// The bot's optional helpers, shared by every turn. Cloning is cheap.
#[derive(Debug, Clone, Default)]
pub struct Assist {
    /// The venue's documents; questions the engine cannot place are looked
    /// up here.
    pub knowledge: Option<knowledge::Knowledge>,
    /// The LLM agent (an OpenAI-compatible endpoint): when set, it answers
    /// the turns of every tenant that has it switched on, through tools
    /// bound to the conversation; the built-in engine is its fallback.
    pub agent: Option<std::sync::Arc<agent::Agent>>,
}

impl Assist {
    /// With a knowledge base.
    pub fn with_knowledge(knowledge: knowledge::Knowledge) -> Assist {
        Assist {
            knowledge: Some(knowledge),
            agent: None,
        }
    }

    /// With the LLM agent as well.
    pub fn with_agent(mut self, agent: agent::Agent) -> Assist {
        self.agent = Some(std::sync::Arc::new(agent));
        self
    }
}
