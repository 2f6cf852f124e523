//! A consumer of the crate generated from `base.yaml` that uses every part of its API a
//! caller can: builds each model from its required fields and some optional ones (requests with
//! setters, responses with `new` and their public fields), converts a response into a request,
//! names every enum value and union variant, matches them (with the wildcard arm their
//! `#[non_exhaustive]` asks for), and calls every operation with its arguments and setters.
//! Checked, not run: it breaks exactly when the API it uses does.

use atlas_streams::models::{Circle, CircleFill, Color, Scale, Shape, Square, SquareFill, Step, Thing, ThingRequest};
use atlas_streams::{Client, ClientBuilder, Error};

fn describe(shape: &Shape) -> String {
    match shape {
        Shape::Circle(circle) => format!("circle {:?} {:?}", circle.radius, circle.fill),
        Shape::Square(square) => format!("square {:?} {:?}", square.side, square.fill),
        other => format!("a shape this client does not know: {:?}", other.tag()),
    }
}

fn step_name(step: &Step) -> String {
    match step {
        Step::Scale(scale) => format!("scale by {}", scale.factor),
        Step::Limit(limit) => format!("limit {limit}"),
        other => format!("a step this client does not type: {:?}", other.key()),
    }
}

fn color_name(color: &Color) -> &'static str {
    match color {
        Color::Red => "red",
        Color::Blue => "blue",
        _ => "another color",
    }
}

/// Each enum is a type of its own, even where two share an implementation.
trait Fill {
    fn name(&self) -> &str;
}

impl Fill for CircleFill {
    fn name(&self) -> &str {
        self.as_str()
    }
}

impl Fill for SquareFill {
    fn name(&self) -> &str {
        self.as_str()
    }
}

async fn calls(client: &Client) -> Result<(), Error> {
    let circle = Circle::new().radius(1.5).fill(CircleFill::Solid);
    let square = Square::new().side(2.0).fill(SquareFill::Hollow);
    let steps: Vec<Step> = vec![Scale::new(2.0).into(), Step::Limit(3), serde_json::json!({"$limit": 4}).into()];
    let request = ThingRequest::new("box").size(3).color(Color::Blue).shape(circle).steps(steps);
    let created: Thing = client.create_thing(request).version("2024-01-01").await?;
    let again = ThingRequest::from(&created).shape(square);
    client.create_thing(again).await?;
    let listed: Vec<Thing> = client.list_things().color("RED").await?;
    for thing in &listed {
        println!("{} {:?}", thing.name, thing.shape.as_ref().map(describe));
        for step in thing.steps.iter().flatten() {
            println!("{}", step_name(step));
        }
    }
    client.delete_thing("box").await?;
    Ok(())
}

fn main() {
    let mut thing = Thing::new("box");
    thing.size = Some(4);
    thing.color = Some(Color::Red);
    thing.shape = Some(Shape::from(Square::new()));
    println!("{:?} {}", thing.size, color_name(&Color::Blue));
    println!("{} {}", CircleFill::Hollow.name(), SquareFill::Solid.name());
    let builder: ClientBuilder = Client::builder().base_url("http://127.0.0.1:9");
    let client = builder.build().unwrap();
    drop(calls(&client));
}
