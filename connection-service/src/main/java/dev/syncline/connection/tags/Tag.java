package dev.syncline.connection.tags;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A label with a colour that connections carry (at most ten each). */
@Entity
@Table(name = "tag")
public class Tag extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    /** The name as compared ({@link TagNames#key}): unique, so one tag however its name is typed. */
    @Column(name = "name_key", nullable = false)
    public String nameKey;

    /** #RRGGBB */
    @Column(nullable = false)
    public String color;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
